package dev.sprig.bench.kernels;

import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.VectorWidth;
import dev.sprig.bench.Work;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
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
 * The machine's peak: FMA throughput of this JVM with 12 independent accumulators held in
 * registers (the same register budget as the GEMM tile), in the kernels' species. The
 * denominator of every GEMM efficiency figure. One invocation is {@link #STEPS} x 12 vector FMAs
 * on each of {@code threads} threads.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class PeakBenchmark {

    /**
     * FMA steps per accumulator per invocation: about 3 ms, so that waking the second thread
     * (tens of microseconds here) does not count; with 100 000 steps the 2-thread peak read 30%
     * low, below what GEMM itself reached.
     */
    public static final int STEPS = 2_000_000;
    /** Independent accumulators. */
    public static final int ACCUMULATORS = 12;

    private static final VectorSpecies<Float> F = VectorWidth.FLOAT;

    @Param({"1"})
    public int threads;

    private ThreadPool pool;
    private float[] sink;
    private float x = 1.0000001f;
    private float y = 0.9999999f;

    @Setup(Level.Trial)
    public void setUp() {
        pool = ThreadPool.create(threads);
        sink = new float[threads];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float fma() {
        pool.parallelFor(threads, t -> sink[t] = run(x, y));
        return sink[0];
    }

    /** Flops of one invocation. */
    public static double flops(int threads) {
        return 2.0 * STEPS * ACCUMULATORS * F.length() * threads;
    }

    private static float run(float xs, float ys) {
        FloatVector xv = FloatVector.broadcast(F, xs);
        FloatVector yv = FloatVector.broadcast(F, ys);
        FloatVector a0 = FloatVector.broadcast(F, 0.1f), a1 = FloatVector.broadcast(F, 0.2f);
        FloatVector a2 = FloatVector.broadcast(F, 0.3f), a3 = FloatVector.broadcast(F, 0.4f);
        FloatVector a4 = FloatVector.broadcast(F, 0.5f), a5 = FloatVector.broadcast(F, 0.6f);
        FloatVector a6 = FloatVector.broadcast(F, 0.7f), a7 = FloatVector.broadcast(F, 0.8f);
        FloatVector a8 = FloatVector.broadcast(F, 0.9f), a9 = FloatVector.broadcast(F, 1.0f);
        FloatVector a10 = FloatVector.broadcast(F, 1.1f), a11 = FloatVector.broadcast(F, 1.2f);
        for (int i = 0; i < STEPS; i++) {
            a0 = xv.fma(a0, yv);
            a1 = xv.fma(a1, yv);
            a2 = xv.fma(a2, yv);
            a3 = xv.fma(a3, yv);
            a4 = xv.fma(a4, yv);
            a5 = xv.fma(a5, yv);
            a6 = xv.fma(a6, yv);
            a7 = xv.fma(a7, yv);
            a8 = xv.fma(a8, yv);
            a9 = xv.fma(a9, yv);
            a10 = xv.fma(a10, yv);
            a11 = xv.fma(a11, yv);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }

    /** Work of one invocation, for the runner. */
    public static Work work(String method, Map<String, String> params) {
        return Work.flops(flops(Integer.parseInt(params.get("threads"))));
    }
}
