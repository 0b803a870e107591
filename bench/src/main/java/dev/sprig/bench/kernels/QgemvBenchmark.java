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
 * Batch-1 products, INT8 ({@code qgemv}: uint8 activations x pre-packed int8 weights) against FP32
 * ({@code sgemv}: pre-packed float weights) on the same shape in one run: {@code 1 x K} times
 * {@code K x N} with {@code shape = 1xNxK}. 1x16384x4096 has weights far larger than the L3 (64 MiB
 * int8, 256 MiB float): memory-bound; 1x3072x768 is a transformer MLP projection (2.25 MiB int8).
 * Reported in GB/s of weights streamed (1 byte per int8 weight, 4 per float) and GOP/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
@State(Scope.Benchmark)
public class QgemvBenchmark {

    @Param({"1x16384x4096", "1x3072x768"})
    public String shape;

    @Param({"1"})
    public int threads;

    private int n;
    private int k;
    private byte[] a;
    private int[] c;
    private PackedQMatrix packed;
    private float[] fa;
    private float[] fc;
    private PackedMatrix fPacked;
    private ThreadPool pool;

    @Setup(Level.Trial)
    public void setUp() {
        int[] d = SgemmBenchmark.parse(shape);
        n = d[1];
        k = d[2];
        SplittableRandom r = new SplittableRandom(7);
        pool = ThreadPool.create(threads);
        a = QgemmBenchmark.randomBytes(r, k, 0, 256);
        c = new int[n];
        packed = PackedQMatrix.pack(k, n, QgemmBenchmark.randomBytes(r, k * n, -127, 128), 0, n, true, new int[]{0});
        fa = SgemmBenchmark.random(r, k);
        fc = new float[n];
        fPacked = PackedMatrix.pack(false, k, n, SgemmBenchmark.random(r, k * n), 0, n, pool);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public int[] qgemv() {
        Qgemm.qgemm(1, a, 0, k, false, 128, packed, c, 0, n, pool);
        return c;
    }

    @Benchmark
    public float[] sgemv() {
        Sgemm.sgemm(false, 1, 1f, fa, 0, k, fPacked, 0f, fc, 0, n, Epilogue.NONE, pool);
        return fc;
    }

    /** Work of one invocation: 2 N K operations and the weight bytes streamed. */
    public static Work work(String method, Map<String, String> params) {
        int[] d = SgemmBenchmark.parse(params.get("shape"));
        double weights = (double) d[1] * d[2];
        return new Work(2.0 * weights, (method.startsWith("q") ? 1.0 : 4.0) * weights);
    }
}
