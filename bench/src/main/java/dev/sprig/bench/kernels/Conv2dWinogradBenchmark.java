package dev.sprig.bench.kernels;

import dev.sprig.bench.Work;
import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.conv.Conv2dShape;
import dev.sprig.kernels.conv.Conv2dWinograd;
import dev.sprig.kernels.gemm.Epilogue;
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
 * {@link Conv2dWinograd} F(2x2,3x3) on the ResNet-18 3x3 layers of {@link Conv2dBenchmark} (bias
 * and relu fused, filters transformed once in setup as a session does). GFLOP/s count the
 * <em>direct</em> convolution's work, so the figure compares with the im2col path's directly and
 * may exceed the machine's peak (Winograd does 2.25x fewer multiplications).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class Conv2dWinogradBenchmark {

    @Param({"64x56x56_64x3x3_s1_p1", "128x28x28_128x3x3_s1_p1", "256x14x14_256x3x3_s1_p1"})
    public String layer;

    @Param({"1"})
    public int threads;

    private Conv2dShape shape;
    private float[] x;
    private Conv2dWinograd.Filters u;
    private float[] y;
    private Epilogue epilogue;
    private ThreadPool pool;

    @Setup(Level.Trial)
    public void setUp() {
        shape = Conv2dBenchmark.parse(layer);
        SplittableRandom r = new SplittableRandom(42);
        x = SgemmBenchmark.random(r, shape.inputSize());
        u = Conv2dWinograd.transformWeights(shape, SgemmBenchmark.random(r, shape.weightSize()), 0);
        y = new float[shape.outputSize()];
        epilogue = Epilogue.biasPerRow(SgemmBenchmark.random(r, shape.outChannels()), 0).relu();
        pool = ThreadPool.create(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float[] winograd() {
        Conv2dWinograd.conv2d(shape, x, 0, u, y, 0, epilogue, pool);
        return y;
    }

    /** The direct convolution's flops (see the class comment). */
    public static Work work(String method, Map<String, String> params) {
        return Work.flops(2.0 * Conv2dBenchmark.parse(params.get("layer")).macs());
    }
}
