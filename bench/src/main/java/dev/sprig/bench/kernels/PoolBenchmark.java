package dev.sprig.bench.kernels;

import dev.sprig.bench.Work;
import dev.sprig.kernels.KernelProvider;
import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.pool.PoolGeometry;
import dev.sprig.kernels.pool.PoolKernels;
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
 * The pools of a CNN, on the backend in use: ResNet's stem MaxPool (3x3, stride 2, pad 1 on
 * 64x112x112 -> 64x56x56) and the GlobalAveragePool before the classifier (ResNet-50's 2048x7x7,
 * MobileNetV2's 1280x7x7). Memory-bound: reported in GB/s of input read plus output written. With
 * {@code threads > 1} the planes are split between the threads.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class PoolBenchmark {

    /** ResNet's stem pool: planes, height, width of its input. */
    static final int MAX_PLANES = 64;
    static final int MAX_SIZE = 112;
    /** The global pools' plane: 7x7. */
    static final int GLOBAL_PLANE = 49;

    /** Inputs and outputs of the MaxPool benchmark. */
    @State(Scope.Benchmark)
    public static class MaxPoolState {

        @Param({"1"})
        public int threads;

        ThreadPool pool;
        PoolGeometry whole;
        PoolGeometry[] chunks;
        int per;
        float[] x;
        float[] y;

        @Setup(Level.Trial)
        public void setUp() {
            pool = ThreadPool.create(threads);
            whole = PoolGeometry.square(MAX_PLANES, MAX_SIZE, MAX_SIZE, 3, 2, 1, false);
            x = random(whole.inputSize());
            y = new float[whole.outputSize()];
            per = Math.ceilDiv(MAX_PLANES, threads);
            chunks = new PoolGeometry[threads];
            for (int t = 0; t < threads; t++) {
                chunks[t] = whole.withPlanes(Math.max(0, Math.min(MAX_PLANES, (t + 1) * per) - t * per));
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            pool.close();
        }
    }

    /** Inputs and outputs of the GlobalAveragePool benchmark. */
    @State(Scope.Benchmark)
    public static class GlobalState {

        @Param({"1"})
        public int threads;

        @Param({"2048", "1280"})
        public int channels;

        ThreadPool pool;
        int per;
        float[] x;
        float[] y;

        @Setup(Level.Trial)
        public void setUp() {
            pool = ThreadPool.create(threads);
            x = random(channels * GLOBAL_PLANE);
            y = new float[channels];
            per = Math.ceilDiv(channels, threads);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            pool.close();
        }
    }

    private final PoolKernels kernels = KernelProvider.backend().pool();

    @Benchmark
    public float[] maxPool3x3s2(MaxPoolState s) {
        if (s.threads == 1) {
            kernels.maxPool(s.whole, s.x, 0, s.y, 0);
            return s.y;
        }
        int inPlane = MAX_SIZE * MAX_SIZE;
        int outPlane = s.whole.outHeight() * s.whole.outWidth();
        s.pool.parallelFor(s.threads, t -> kernels.maxPool(s.chunks[t], s.x, t * s.per * inPlane, s.y, t * s.per * outPlane));
        return s.y;
    }

    @Benchmark
    public float[] globalAveragePool7x7(GlobalState s) {
        if (s.threads == 1) {
            kernels.globalAveragePool(s.channels, GLOBAL_PLANE, s.x, 0, s.y, 0);
            return s.y;
        }
        s.pool.parallelFor(s.threads, t -> {
            int from = t * s.per;
            int n = Math.max(0, Math.min(s.channels, from + s.per) - from);
            kernels.globalAveragePool(n, GLOBAL_PLANE, s.x, from * GLOBAL_PLANE, s.y, from);
        });
        return s.y;
    }

    static float[] random(int n) {
        SplittableRandom r = new SplittableRandom(11);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextDouble(-1, 1);
        }
        return a;
    }

    /** Work of one invocation, for the runner: input floats read plus output floats written. */
    public static Work work(String method, Map<String, String> params) {
        if (method.equals("maxPool3x3s2")) {
            PoolGeometry g = PoolGeometry.square(MAX_PLANES, MAX_SIZE, MAX_SIZE, 3, 2, 1, false);
            return Work.bytes(4.0 * (g.inputSize() + g.outputSize()));
        }
        int channels = Integer.parseInt(params.get("channels"));
        return Work.bytes(4.0 * channels * (GLOBAL_PLANE + 1));
    }
}
