package dev.sprig.bench.kernels;

import dev.sprig.bench.Work;
import dev.sprig.bench.steps.Step1TripleLoop;
import dev.sprig.bench.steps.Step2LoopOrder;
import dev.sprig.bench.steps.Step3VectorRow;
import dev.sprig.bench.steps.Step4RegisterTile;
import dev.sprig.bench.steps.Step5Packed;
import dev.sprig.bench.steps.Step6CacheBlocked;
import dev.sprig.bench.steps.Step7Threaded;
import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.gemm.Epilogue;
import dev.sprig.kernels.gemm.Sgemm;
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
 * The GEMM ladder of {@link dev.sprig.bench.steps}: {@code C = A * B} on {@code size} cubed, one
 * method per step, and step 8, the engine's {@link Sgemm} (B packed on every call, as steps 5-7
 * pack it). Only steps 7 and 8 use more than one thread ({@code --threads}).
 *
 * <p>The steps use {@code FloatVector.SPECIES_PREFERRED} and the peak the kernels' species, capped
 * at 256 bits: on an AVX-512 machine run with {@code -XX:UseAVX=2} (as the reference AVX2 machines
 * are) so that both are 256 bits wide and the percentages of peak compare like with like.
 *
 * <p>Run: {@code ./sprig bench kernels --filter 'peak|streamRead|gemmSteps' --threads 1}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class GemmStepsBenchmark {

    /** n of the n x n x n product; the naive step takes about 0.2 s per product at 512, 1024 would take 8 times that. */
    @Param({"256", "512"})
    public int size;

    @Param({"1"})
    public int threads;

    private float[] a;
    private float[] b;
    private float[] c;
    private ThreadPool pool;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom r = new SplittableRandom(42);
        a = SgemmBenchmark.random(r, size * size);
        b = SgemmBenchmark.random(r, size * size);
        c = new float[size * size];
        pool = ThreadPool.create(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float[] step1TripleLoop() {
        Step1TripleLoop.multiply(size, size, size, a, b, c);
        return c;
    }

    @Benchmark
    public float[] step2LoopOrder() {
        Step2LoopOrder.multiply(size, size, size, a, b, c);
        return c;
    }

    @Benchmark
    public float[] step3VectorRow() {
        Step3VectorRow.multiply(size, size, size, a, b, c);
        return c;
    }

    @Benchmark
    public float[] step4RegisterTile() {
        Step4RegisterTile.multiply(size, size, size, a, b, c);
        return c;
    }

    @Benchmark
    public float[] step5Packed() {
        Step5Packed.multiply(size, size, size, a, b, c);
        return c;
    }

    @Benchmark
    public float[] step6CacheBlocked() {
        Step6CacheBlocked.multiply(size, size, size, a, b, c);
        return c;
    }

    @Benchmark
    public float[] step7Threaded() {
        Step7Threaded.multiply(size, size, size, a, b, c, pool);
        return c;
    }

    @Benchmark
    public float[] step8Sgemm() {
        Sgemm.sgemm(false, false, size, size, size, 1f, a, 0, size, b, 0, size, 0f, c, 0, size, Epilogue.NONE, pool);
        return c;
    }

    /** Work of one invocation, for the runner: 2 n^3 flops. */
    public static Work work(String method, Map<String, String> params) {
        double n = Integer.parseInt(params.get("size"));
        return Work.flops(2 * n * n * n);
    }

    /**
     * The fewest bytes one product can move, for the roofline: read A and B once and write C once,
     * {@code 4 (mk + kn + mn)} = 12 n^2 bytes, so the arithmetic intensity is 2 n^3 / 12 n^2 = n / 6
     * FLOP/byte. Not reported as GB/s: the steps are limited by compute or by the cache traffic the
     * better steps avoid, not by this minimum.
     */
    public static double minBytes(String method, Map<String, String> params) {
        double n = Integer.parseInt(params.get("size"));
        return 4 * 3 * n * n;
    }
}
