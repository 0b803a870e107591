package dev.sprig.bench.kernels;

import dev.sprig.bench.Work;
import dev.sprig.kernels.KernelProvider;
import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.reduce.NormKernels;
import java.util.Map;
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
 * The row normalisations of a BERT-base layer at sequence length 128, on the backend in use: the
 * attention softmax over 12 heads x 128 x 128 scores, and LayerNormalization (with scale and bias)
 * over 128 tokens x 768. Reported in GB/s of rows read plus written (the data fits in L2, so this is
 * a compute rate, not a memory-bound one). With {@code threads > 1} the rows are split between the
 * threads.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class SoftmaxLayerNormBenchmark {

    static final int SOFTMAX_ROWS = 12 * 128;
    static final int SOFTMAX_COLS = 128;
    static final int NORM_ROWS = 128;
    static final int NORM_COLS = 768;

    @Param({"1"})
    public int threads;

    private final NormKernels kernels = KernelProvider.backend().norm();
    private ThreadPool pool;
    private float[] scores;
    private float[] probabilities;
    private float[] hidden;
    private float[] normalised;
    private float[] scale;
    private float[] bias;

    @Setup(Level.Trial)
    public void setUp() {
        pool = ThreadPool.create(threads);
        scores = PoolBenchmark.random(SOFTMAX_ROWS * SOFTMAX_COLS);
        for (int i = 0; i < scores.length; i++) {
            scores[i] *= 8f; // attention logits spread over several units
        }
        probabilities = new float[scores.length];
        hidden = PoolBenchmark.random(NORM_ROWS * NORM_COLS);
        normalised = new float[hidden.length];
        scale = PoolBenchmark.random(NORM_COLS);
        bias = PoolBenchmark.random(NORM_COLS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float[] softmax() {
        if (threads == 1) {
            kernels.softmax(SOFTMAX_ROWS, SOFTMAX_COLS, scores, 0, probabilities, 0);
            return probabilities;
        }
        int per = Math.ceilDiv(SOFTMAX_ROWS, threads);
        pool.parallelFor(threads, t -> {
            int from = t * per;
            int rows = Math.max(0, Math.min(SOFTMAX_ROWS, from + per) - from);
            kernels.softmax(rows, SOFTMAX_COLS, scores, from * SOFTMAX_COLS, probabilities, from * SOFTMAX_COLS);
        });
        return probabilities;
    }

    @Benchmark
    public float[] layerNorm() {
        if (threads == 1) {
            kernels.layerNorm(NORM_ROWS, NORM_COLS, 1e-12f, hidden, 0, scale, 0, bias, 0, normalised, 0);
            return normalised;
        }
        int per = Math.ceilDiv(NORM_ROWS, threads);
        pool.parallelFor(threads, t -> {
            int from = t * per;
            int rows = Math.max(0, Math.min(NORM_ROWS, from + per) - from);
            kernels.layerNorm(rows, NORM_COLS, 1e-12f, hidden, from * NORM_COLS, scale, 0, bias, 0,
                    normalised, from * NORM_COLS);
        });
        return normalised;
    }

    /** Work of one invocation, for the runner: the rows read and written (plus scale and bias). */
    public static Work work(String method, Map<String, String> params) {
        if (method.equals("softmax")) {
            return Work.bytes(2.0 * 4 * SOFTMAX_ROWS * SOFTMAX_COLS);
        }
        return Work.bytes(2.0 * 4 * NORM_ROWS * NORM_COLS + 2.0 * 4 * NORM_COLS);
    }
}
