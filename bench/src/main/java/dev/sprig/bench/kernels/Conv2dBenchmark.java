package dev.sprig.bench.kernels;

import dev.sprig.bench.Work;
import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.conv.Conv2d;
import dev.sprig.kernels.conv.Conv2dShape;
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
 * {@link Conv2d} (bias and relu fused) on batch-1 layers of real models. {@code layer} is
 * {@code CxHxW_MxKHxKW_sS_pP[_gG]}: input channels and size, filters and filter size, stride, pad
 * on all four sides, and groups (1 when absent). The layers:
 * <ul>
 *   <li>{@code 3x224x224_64x7x7_s2_p3}: ResNet-18/50 first conv (im2col, K = 147);</li>
 *   <li>{@code 64x56x56_64x3x3_s1_p1}, {@code 128x28x28_128x3x3_s1_p1}, {@code 256x14x14_256x3x3_s1_p1}:
 *       ResNet-18 3x3 convs of stages 1 to 3 (im2col);</li>
 *   <li>{@code 64x56x56_256x1x1_s1_p0}, {@code 256x56x56_64x1x1_s1_p0}: ResNet-50 stage-1
 *       bottleneck 1x1 expand and reduce (GEMM on the input);</li>
 *   <li>{@code 144x56x56_144x3x3_s1_p1_g144}, {@code 96x112x112_96x3x3_s2_p1_g96}: MobileNetV2
 *       depthwise 3x3, stride 1 and 2 (direct kernel; memory-bound, so reported in GB/s too);</li>
 *   <li>{@code 32x112x112_16x1x1_s1_p0}: MobileNetV2 first projection 1x1.</li>
 * </ul>
 * GFLOP/s count the direct convolution's work, {@code 2 * N * M * OH * OW * C/groups * KH * KW},
 * whatever the path computes.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class Conv2dBenchmark {

    @Param({"3x224x224_64x7x7_s2_p3", "64x56x56_64x3x3_s1_p1", "128x28x28_128x3x3_s1_p1", "256x14x14_256x3x3_s1_p1",
            "64x56x56_256x1x1_s1_p0", "256x56x56_64x1x1_s1_p0",
            "144x56x56_144x3x3_s1_p1_g144", "96x112x112_96x3x3_s2_p1_g96", "32x112x112_16x1x1_s1_p0"})
    public String layer;

    @Param({"1"})
    public int threads;

    private Conv2dShape shape;
    private float[] x;
    private float[] w;
    private float[] y;
    private Epilogue epilogue;
    private ThreadPool pool;

    @Setup(Level.Trial)
    public void setUp() {
        shape = parse(layer);
        SplittableRandom r = new SplittableRandom(42);
        x = SgemmBenchmark.random(r, shape.inputSize());
        w = SgemmBenchmark.random(r, shape.weightSize());
        y = new float[shape.outputSize()];
        epilogue = Epilogue.biasPerRow(SgemmBenchmark.random(r, shape.outChannels()), 0).relu();
        pool = ThreadPool.create(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float[] conv2d() {
        Conv2d.conv2d(shape, x, 0, w, 0, y, 0, epilogue, pool);
        return y;
    }

    /** {@code CxHxW_MxKHxKW_sS_pP[_gG]} as a batch-1 shape. */
    public static Conv2dShape parse(String layer) {
        String[] part = layer.split("_");
        if (part.length < 4 || part.length > 5 || !part[2].startsWith("s") || !part[3].startsWith("p")
                || (part.length == 5 && !part[4].startsWith("g"))) {
            throw new IllegalArgumentException("layer must be CxHxW_MxKHxKW_sS_pP[_gG], got " + layer);
        }
        int[] in = dims(part[0], layer);
        int[] filter = dims(part[1], layer);
        int stride = Integer.parseInt(part[2].substring(1));
        int pad = Integer.parseInt(part[3].substring(1));
        int groups = part.length == 5 ? Integer.parseInt(part[4].substring(1)) : 1;
        return new Conv2dShape(1, in[0], in[1], in[2], filter[0], filter[1], filter[2], stride, stride, 1, 1,
                pad, pad, pad, pad, groups);
    }

    private static int[] dims(String s, String layer) {
        String[] p = s.split("x");
        if (p.length != 3) {
            throw new IllegalArgumentException("layer must be CxHxW_MxKHxKW_sS_pP[_gG], got " + layer);
        }
        return new int[]{Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])};
    }

    /**
     * Work of one invocation, for the runner: the direct conv's flops, and for depthwise layers also
     * the bytes of input, output and weights (they are memory-bound).
     */
    public static Work work(String method, Map<String, String> params) {
        Conv2dShape s = parse(params.get("layer"));
        double flops = 2.0 * s.macs();
        if (s.isDepthwise()) {
            return new Work(flops, (double) Float.BYTES * ((long) s.inputSize() + s.outputSize() + s.weightSize()));
        }
        return Work.flops(flops);
    }
}
