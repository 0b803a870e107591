package dev.sprig.bench.kernels;

import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.gemm.Epilogue;
import dev.sprig.kernels.gemm.PackedMatrix;
import dev.sprig.kernels.gemm.Sgemm;
import dev.sprig.bench.Work;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link Sgemm} on squares and on the shapes real models run: {@code shape} is {@code MxNxK}.
 * {@code sgemm} packs B on every call (a plain BLAS call); {@code sgemmPrepacked} uses a B packed
 * once in setup, as the executor does with weights. Model shapes: BERT-base/ViT projections
 * (1x768x768 batch-1, 128x768x3072 and 197x768x768), MNIST-8's convolutions as im2col GEMMs
 * (8x784x25, 16x196x200), and a ShuffleNet-v2 1x1 conv (116x784x116).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class SgemmBenchmark {

    @Param({"64x64x64", "128x128x128", "256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048",
            "1x768x768", "128x768x3072", "197x768x768", "8x784x25", "16x196x200", "116x784x116"})
    public String shape;

    @Param({"1"})
    public int threads;

    private int m;
    private int n;
    private int k;
    private float[] a;
    private float[] b;
    private float[] c;
    private PackedMatrix packed;
    private ThreadPool pool;

    @Setup(Level.Trial)
    public void setUp() {
        int[] d = parse(shape);
        m = d[0];
        n = d[1];
        k = d[2];
        SplittableRandom r = new SplittableRandom(42);
        a = random(r, m * k);
        b = random(r, k * n);
        c = new float[m * n];
        pool = ThreadPool.create(threads);
        packed = PackedMatrix.pack(false, k, n, b, 0, n, pool);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float[] sgemm() {
        Sgemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n, Epilogue.NONE, pool);
        return c;
    }

    @Benchmark
    public float[] sgemmPrepacked() {
        Sgemm.sgemm(false, m, 1f, a, 0, k, packed, 0f, c, 0, n, Epilogue.NONE, pool);
        return c;
    }

    /** {@code MxNxK} as {m, n, k}. */
    public static int[] parse(String shape) {
        String[] p = shape.split("x");
        if (p.length != 3) {
            throw new IllegalArgumentException("shape must be MxNxK, got " + shape);
        }
        return new int[]{Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])};
    }

    /** Flops of one product of {@code shape}: 2 M N K. */
    public static double flops(String shape) {
        int[] d = parse(shape);
        return 2.0 * d[0] * d[1] * d[2];
    }

    /** Work of one invocation, for the runner. */
    public static Work work(String method, Map<String, String> params) {
        return Work.flops(flops(params.get("shape")));
    }

    static float[] random(SplittableRandom r, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }
}
