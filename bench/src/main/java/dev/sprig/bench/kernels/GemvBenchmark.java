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
 * The batch-1 path: {@code 1 x K} times pre-packed {@code K x N} weights far larger than the L3
 * (4096 x 16384 floats = 256 MiB). Memory-bound: reported in GB/s of weights streamed, against
 * {@link StreamReadBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
@State(Scope.Benchmark)
public class GemvBenchmark {

    @Param({"1x16384x4096"})
    public String shape;

    @Param({"1"})
    public int threads;

    private int m;
    private float[] a;
    private float[] c;
    private PackedMatrix packed;
    private ThreadPool pool;

    @Setup(Level.Trial)
    public void setUp() {
        int[] d = SgemmBenchmark.parse(shape);
        m = d[0];
        int n = d[1];
        int k = d[2];
        SplittableRandom r = new SplittableRandom(7);
        a = SgemmBenchmark.random(r, m * k);
        c = new float[m * n];
        pool = ThreadPool.create(threads);
        float[] b = SgemmBenchmark.random(r, k * n);
        packed = PackedMatrix.pack(false, k, n, b, 0, n, pool);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float[] gemvPrepacked() {
        Sgemm.sgemm(false, m, 1f, a, 0, packed.k(), packed, 0f, c, 0, packed.n(), Epilogue.NONE, pool);
        return c;
    }

    /** Work of one invocation: the flops, and the bytes of weights streamed. */
    public static Work work(String method, Map<String, String> params) {
        String shape = params.get("shape");
        int[] d = SgemmBenchmark.parse(shape);
        return new Work(SgemmBenchmark.flops(shape), 4.0 * d[1] * d[2]);
    }
}
