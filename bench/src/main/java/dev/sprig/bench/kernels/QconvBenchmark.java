package dev.sprig.bench.kernels;

import dev.sprig.bench.Work;
import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.conv.Conv2d;
import dev.sprig.kernels.conv.Conv2dShape;
import dev.sprig.kernels.gemm.Epilogue;
import dev.sprig.kernels.int8.PackedQConvWeights;
import dev.sprig.kernels.int8.QConv2d;
import java.util.Arrays;
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
 * {@link QConv2d} (uint8 activations with zero point 128 x int8 filters packed once) next to the
 * FP32 {@link Conv2d} on the same layer in the same run, so the INT8/FP32 ratio of a convolution
 * is read off one table. {@code qconv} writes int32 accumulators ({@code ConvInteger});
 * {@code qconvToBytes} requantizes per output channel with a relu clamp ({@code QLinearConv}, as
 * a quantized model runs it); {@code sconv} is FP32 with bias and relu. {@code layer} as in
 * {@link Conv2dBenchmark}. The layers are ShuffleNet-v2's (the test data's INT8 CNN): its first
 * 3x3 stride-2 conv, the 1x1 convs of stages 2 to 4 and the final 464 -> 1024 1x1; and a ResNet 3x3
 * for comparison with {@link Conv2dBenchmark}. GFLOP/s count 2 operations per multiply-add for
 * both (GOP/s for INT8).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class QconvBenchmark {

    @Param({"3x224x224_24x3x3_s2_p1", "24x56x56_58x1x1_s1_p0", "58x28x28_58x1x1_s1_p0", "116x14x14_116x1x1_s1_p0",
            "232x7x7_232x1x1_s1_p0", "464x7x7_1024x1x1_s1_p0", "64x56x56_64x3x3_s1_p1"})
    public String layer;

    @Param({"1"})
    public int threads;

    private Conv2dShape shape;
    private byte[] x;
    private PackedQConvWeights packed;
    private int[] acc;
    private int[] bias;
    private float[] scale;
    private byte[] y;
    private float[] fx;
    private float[] fw;
    private float[] fy;
    private Epilogue epilogue;
    private ThreadPool pool;

    @Setup(Level.Trial)
    public void setUp() {
        shape = Conv2dBenchmark.parse(layer);
        SplittableRandom r = new SplittableRandom(42);
        x = QgemmBenchmark.randomBytes(r, shape.inputSize(), 0, 256);
        packed = PackedQConvWeights.pack(shape, QgemmBenchmark.randomBytes(r, shape.weightSize(), -127, 128), 0, true,
                new int[]{0});
        acc = new int[shape.outputSize()];
        bias = r.ints(shape.outChannels(), -1000, 1000).toArray();
        scale = new float[shape.outChannels()];
        Arrays.fill(scale, 1e-3f);
        y = new byte[shape.outputSize()];
        fx = SgemmBenchmark.random(r, shape.inputSize());
        fw = SgemmBenchmark.random(r, shape.weightSize());
        fy = new float[shape.outputSize()];
        epilogue = Epilogue.biasPerRow(SgemmBenchmark.random(r, shape.outChannels()), 0).relu();
        pool = ThreadPool.create(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public int[] qconv() {
        QConv2d.conv2d(shape, x, 0, false, 128, packed, acc, 0, pool);
        return acc;
    }

    @Benchmark
    public byte[] qconvToBytes() {
        QConv2d.conv2dToBytes(shape, x, 0, false, 128, packed, bias, scale, 0, false, 0, 255, y, 0, pool);
        return y;
    }

    @Benchmark
    public float[] sconv() {
        Conv2d.conv2d(shape, fx, 0, fw, 0, fy, 0, epilogue, pool);
        return fy;
    }

    /** Work of one invocation: the direct convolution's 2 * multiply-adds. */
    public static Work work(String method, Map<String, String> params) {
        return Work.flops(2.0 * Conv2dBenchmark.parse(params.get("layer")).macs());
    }
}
