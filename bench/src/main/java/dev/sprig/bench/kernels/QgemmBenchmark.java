package dev.sprig.bench.kernels;

import dev.sprig.bench.Work;
import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.gemm.Epilogue;
import dev.sprig.kernels.gemm.PackedMatrix;
import dev.sprig.kernels.gemm.Sgemm;
import dev.sprig.kernels.int8.PackedQMatrix;
import dev.sprig.kernels.int8.Qgemm;
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
 * {@link Qgemm} (uint8 activations with zero point 128 x int8 weights, int32 out) next to
 * {@link Sgemm} on the same shape in the same run, so the INT8/FP32 ratio is read off one table:
 * {@code shape} is {@code MxNxK}. {@code qgemmPrepacked}/{@code sgemmPrepacked} use a B packed
 * once in setup (weights); {@code qgemm} packs B on every call. The GFLOP/s column counts 2 ops
 * per multiply-add for both (GOP/s for INT8).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class QgemmBenchmark {

    @Param({"256x256x256", "512x512x512", "128x768x3072", "16x196x200"})
    public String shape;

    @Param({"1"})
    public int threads;

    private int m;
    private int n;
    private int k;
    private byte[] a;
    private byte[] b;
    private int[] c;
    private PackedQMatrix packed;
    private float[] fa;
    private float[] fc;
    private PackedMatrix fPacked;
    private ThreadPool pool;

    @Setup(Level.Trial)
    public void setUp() {
        int[] d = SgemmBenchmark.parse(shape);
        m = d[0];
        n = d[1];
        k = d[2];
        SplittableRandom r = new SplittableRandom(42);
        a = randomBytes(r, m * k, 0, 256);
        b = randomBytes(r, k * n, -127, 128);
        c = new int[m * n];
        pool = ThreadPool.create(threads);
        packed = PackedQMatrix.pack(k, n, b, 0, n, true, new int[]{0});
        fa = SgemmBenchmark.random(r, m * k);
        fc = new float[m * n];
        fPacked = PackedMatrix.pack(false, k, n, SgemmBenchmark.random(r, k * n), 0, n, pool);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public int[] qgemmPrepacked() {
        Qgemm.qgemm(m, a, 0, k, false, 128, packed, c, 0, n, pool);
        return c;
    }

    @Benchmark
    public int[] qgemm() {
        Qgemm.qgemm(m, n, k, a, 0, k, false, 128, b, 0, n, true, new int[]{0}, c, 0, n, pool);
        return c;
    }

    @Benchmark
    public float[] sgemmPrepacked() {
        Sgemm.sgemm(false, m, 1f, fa, 0, k, fPacked, 0f, fc, 0, n, Epilogue.NONE, pool);
        return fc;
    }

    /** Work of one invocation: 2 M N K operations. */
    public static Work work(String method, Map<String, String> params) {
        return Work.flops(SgemmBenchmark.flops(params.get("shape")));
    }

    static byte[] randomBytes(SplittableRandom r, int size, int lo, int hi) {
        byte[] v = new byte[size];
        for (int i = 0; i < size; i++) {
            v[i] = (byte) r.nextInt(lo, hi);
        }
        return v;
    }
}
