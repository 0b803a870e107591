package dev.sprig.kernels.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.sprig.kernels.KernelProvider;
import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.gemm.Epilogue;
import dev.sprig.kernels.gemm.PackedMatrix;
import dev.sprig.kernels.testing.EdgeSizes;
import dev.sprig.kernels.testing.FloatData;
import dev.sprig.kernels.testing.Tolerance;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/**
 * The conv tester: {@link Conv2d} (im2col + GEMM, the pointwise GEMM, the depthwise kernels) against
 * the direct loops of {@link dev.sprig.kernels.reference.Conv2d} over random geometries: pads on
 * every side, asymmetric, wider than the kernel; strides larger than the kernel; dilation 2 and 3;
 * 1-pixel inputs; channel counts around every vector width; groups, depthwise 3x3/5x5 at stride 1
 * and 2 and the depthwise shapes that fall back to the general path; batch > 1; bias, relu and
 * clip epilogues; offsets into larger arrays. Small-integer data must match exactly, uniform data
 * within the bound of the reduction length {@code C/groups * KH * KW}; 1, 2 and 3 threads must
 * agree bitwise. Failures print the whole geometry, the path and the seed.
 *
 * <p>Sizes are capped by {@code -Dsprig.test.maxDim} and the case count by
 * {@code -Dsprig.test.examples} (default 200 per property).
 */
class Conv2dPropertyTest {

    private static final int MAX_DIM = Integer.getInteger("sprig.test.maxDim", 300);
    private static final int EXAMPLES = Integer.getInteger("sprig.test.examples", 200);
    /** Largest input height/width of the general cases, and of the depthwise ones. */
    private static final int MAX_HW = Math.min(MAX_DIM, 24);
    private static final int MAX_HW_DEPTHWISE = Math.min(MAX_DIM, 40);
    /** Multiply-adds a random case may cost (the reference is a scalar seven-deep loop). */
    private static final long MAX_MACS = 600_000;
    private static final ThreadPool TWO = ThreadPool.create(2);
    private static final ThreadPool THREE = ThreadPool.create(3);

    @AfterAll
    static void closePools() {
        TWO.close();
        THREE.close();
    }

    /** One randomly configured call. */
    private record Case(Conv2dShape shape, long seed, int epilogueKind, boolean integers, int xOff, int wOff,
                        int yOff) {

        /**
         * A general geometry from the group channel count, the input height, the kernel height and
         * a seed, which picks everything else.
         */
        static Case general(int cg, int h, int kh, long seed, boolean integers) {
            SplittableRandom r = new SplittableRandom(seed);
            int n = r.nextInt(4) == 0 ? r.nextInt(2, 4) : 1;
            int w = r.nextInt(3) == 0 ? h : r.nextInt(1, MAX_HW + 1);
            int kw = r.nextInt(3) == 0 ? kh : r.nextInt(1, 6);
            int groups;
            int mg;
            int kind = r.nextInt(8);
            if (kind == 0) {
                // depthwise (or channel multiplier 2) of a shape the direct kernels do not take
                groups = cg;
                cg = 1;
                mg = r.nextBoolean() ? 1 : 2;
            } else {
                groups = kind <= 2 ? r.nextInt(2, 4) : 1;
                mg = r.nextBoolean() ? r.nextInt(1, 6) : EdgeSizes.edges(1, 19).get(r.nextInt(EdgeSizes.edges(1, 19).size()));
            }
            int sh = r.nextInt(1, 5);
            int sw = r.nextInt(3) == 0 ? sh : r.nextInt(1, 5);
            int dh = r.nextInt(4) == 0 ? 2 : 1;
            int dw = r.nextInt(4) == 0 ? r.nextInt(2, 4) : 1;
            int pt = r.nextInt(4);
            int pl = r.nextInt(4);
            int pb = r.nextInt(4);
            int pr = r.nextInt(4);
            if (r.nextInt(4) == 0) {
                // pointwise: the GEMM on the input itself
                kh = 1;
                kw = 1;
                sh = 1;
                sw = 1;
                pt = pl = pb = pr = 0;
            }
            // the output must not be empty: widen the bottom and right pads as much as needed
            pb = Math.max(pb, dh * (kh - 1) + 1 - h - pt);
            pr = Math.max(pr, dw * (kw - 1) + 1 - w - pl);
            Conv2dShape s = new Conv2dShape(n, cg * groups, h, w, mg * groups, kh, kw, sh, sw, dh, dw,
                    pt, pl, pb, pr, groups);
            // keep the reference affordable: fewer images, then fewer filters
            while (s.macs() > MAX_MACS && (n > 1 || mg > 1)) {
                if (n > 1) {
                    n--;
                } else {
                    mg = Math.max(1, mg / 2);
                }
                s = new Conv2dShape(n, cg * groups, h, w, mg * groups, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr, groups);
            }
            return new Case(s, seed, r.nextInt(6), integers, r.nextInt(4), r.nextInt(4), r.nextInt(4));
        }

        /** A depthwise geometry the direct kernels take: 3x3 or 5x5, stride 1 or 2, any pads. */
        static Case depthwise(int c, int h, int k, long seed, boolean integers) {
            SplittableRandom r = new SplittableRandom(seed);
            int n = r.nextInt(5) == 0 ? 2 : 1;
            int w = r.nextInt(3) == 0 ? h : r.nextInt(1, MAX_HW_DEPTHWISE + 1);
            int stride = r.nextBoolean() ? 1 : 2;
            int pt = r.nextInt(2) == 0 ? k / 2 : r.nextInt(k + 1);
            int pl = r.nextInt(2) == 0 ? k / 2 : r.nextInt(k + 1);
            int pb = r.nextInt(2) == 0 ? k / 2 : r.nextInt(k + 1);
            int pr = r.nextInt(2) == 0 ? k / 2 : r.nextInt(k + 1);
            pb = Math.max(pb, k - h - pt);
            pr = Math.max(pr, k - w - pl);
            Conv2dShape s = new Conv2dShape(n, c, h, w, c, k, k, stride, stride, 1, 1, pt, pl, pb, pr, c);
            return new Case(s, seed, r.nextInt(6), integers, r.nextInt(4), r.nextInt(4), r.nextInt(4));
        }

        float[] data(long s, int size) {
            return integers ? FloatData.smallIntegers(s, size) : FloatData.uniform(s, size);
        }

        float[] x() {
            return data(seed + 1, xOff + shape.inputSize());
        }

        float[] w() {
            return data(seed + 2, wOff + shape.weightSize());
        }

        float[] bias() {
            return data(seed + 3, shape.outChannels() + 2);
        }

        Epilogue epilogue(float[] bias) {
            return switch (epilogueKind) {
                case 0, 1 -> Epilogue.NONE;
                case 2 -> Epilogue.biasPerRow(bias, 1);
                case 3 -> Epilogue.biasPerRow(bias, 2).relu();
                case 4 -> Epilogue.NONE.relu();
                default -> Epilogue.biasPerRow(bias, 0).clip(-0.5f, integers ? 40f : 0.75f);
            };
        }

        String path() {
            if (DepthwiseConvKernel.supports(shape)) {
                return "depthwise " + KernelProvider.backend().depthwiseConv().name();
            }
            return shape.isPointwise() ? "pointwise GEMM" : "im2col GEMM";
        }

        String describe() {
            return shape + " path " + path() + " seed=" + seed + " epilogue#" + epilogueKind
                    + (integers ? " integers" : " uniform") + " offsets x,w,y=" + xOff + "," + wOff + "," + yOff;
        }
    }

    /** Runs the case on 1, 2 and 3 threads and compares with the reference. */
    private static void check(Case t) {
        Conv2dShape s = t.shape;
        float[] x = t.x();
        float[] w = t.w();
        float[] bias = t.bias();
        Epilogue e = t.epilogue(bias);
        // the output array starts with garbage: every output must be written, nothing else touched
        float[] y0 = FloatData.uniform(t.seed + 4, t.yOff + s.outputSize() + 3);
        float[] expected = y0.clone();
        dev.sprig.kernels.reference.Conv2d.conv2d(s, x, t.xOff, w, t.wOff, expected, t.yOff, e);
        float[] one = y0.clone();
        Conv2d.conv2d(s, x, t.xOff, w, t.wOff, one, t.yOff, e, ThreadPool.SERIAL);
        double[] sumAbs = t.integers ? null : sumAbs(s, x, t.xOff, w, t.wOff);
        double biasAbs = maxAbs(bias);
        for (int idx = 0; idx < y0.length; idx++) {
            int rel = idx - t.yOff;
            if (rel < 0 || rel >= s.outputSize()) {
                Tolerance.assertSame(y0[idx], one[idx], t.describe() + " index " + idx + " (outside y: must be untouched)");
                continue;
            }
            String where = t.describe() + " at " + element(s, rel);
            if (t.integers) {
                Tolerance.assertEqual(expected[idx], one[idx], where);
            } else {
                Tolerance.assertClose(expected[idx], one[idx], s.reduction() + 2, sumAbs[rel] + biasAbs, where);
            }
        }
        assertSameOnThreads(t, x, w, e, y0, one);
        float[] prepared = y0.clone();
        Conv2d.conv2d(s, x, t.xOff, Conv2dWeights.pack(s.outChannels(), s.groupChannels(), s.kernelH(), s.kernelW(),
                s.groups(), w, t.wOff), prepared, t.yOff, e, ThreadPool.SERIAL);
        for (int idx = 0; idx < y0.length; idx++) {
            Tolerance.assertSame(one[idx], prepared[idx], t.describe() + " prepared filters vs raw, index " + idx);
        }
    }

    @Test
    void preparedDepthwiseFiltersServeShapesTheDepthwiseKernelDoesNotTake() {
        // dilation 2 and stride 3: depthwise filters (kept unpacked) through the GEMM path
        for (Conv2dShape s : List.of(new Conv2dShape(1, 6, 9, 9, 6, 3, 3, 1, 1, 2, 2, 1, 1, 1, 1, 6),
                new Conv2dShape(2, 4, 10, 10, 4, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1, 4))) {
            float[] x = FloatData.uniform(1, s.inputSize());
            float[] w = FloatData.uniform(2, s.weightSize());
            float[] raw = new float[s.outputSize()];
            float[] prepared = new float[s.outputSize()];
            float[] expected = new float[s.outputSize()];
            dev.sprig.kernels.reference.Conv2d.conv2d(s, x, 0, w, 0, expected, 0, Epilogue.NONE);
            Conv2d.conv2d(s, x, 0, w, 0, raw, 0, Epilogue.NONE, ThreadPool.SERIAL);
            Conv2d.conv2d(s, x, 0, Conv2dWeights.pack(s.outChannels(), 1, 3, 3, s.groups(), w, 0), prepared, 0,
                    Epilogue.NONE, ThreadPool.SERIAL);
            double[] sumAbs = sumAbs(s, x, 0, w, 0);
            for (int i = 0; i < raw.length; i++) {
                Tolerance.assertSame(raw[i], prepared[i], s + " prepared vs raw at " + element(s, i));
                Tolerance.assertClose(expected[i], raw[i], s.reduction() + 2, sumAbs[i], s + " at " + element(s, i));
            }
        }
    }

    private static void assertSameOnThreads(Case t, float[] x, float[] w, Epilogue e, float[] y0, float[] one) {
        for (ThreadPool pool : List.of(TWO, THREE)) {
            float[] y = y0.clone();
            Conv2d.conv2d(t.shape, x, t.xOff, w, t.wOff, y, t.yOff, e, pool);
            for (int idx = 0; idx < y.length; idx++) {
                Tolerance.assertSame(one[idx], y[idx], t.describe() + " " + pool.threads() + " threads vs 1, index " + idx);
            }
        }
    }

    /** {@code sum |x * w|} over the taps of every output, in output order (the tolerance's scale). */
    private static double[] sumAbs(Conv2dShape s, float[] x, int xOff, float[] w, int wOff) {
        double[] out = new double[s.outputSize()];
        int cg = s.groupChannels();
        int mg = s.groupOutChannels();
        int i = 0;
        for (int n = 0; n < s.batch(); n++) {
            for (int m = 0; m < s.outChannels(); m++) {
                for (int oh = 0; oh < s.outH(); oh++) {
                    for (int ow = 0; ow < s.outW(); ow++) {
                        double sum = 0;
                        for (int c = 0; c < cg; c++) {
                            for (int kh = 0; kh < s.kernelH(); kh++) {
                                int ih = oh * s.strideH() - s.padTop() + kh * s.dilationH();
                                for (int kw = 0; kw < s.kernelW(); kw++) {
                                    int iw = ow * s.strideW() - s.padLeft() + kw * s.dilationW();
                                    if (ih >= 0 && ih < s.height() && iw >= 0 && iw < s.width()) {
                                        int ci = (m / mg) * cg + c;
                                        sum += Math.abs((double) x[xOff + ((n * s.channels() + ci) * s.height() + ih) * s.width() + iw]
                                                * w[wOff + ((m * cg + c) * s.kernelH() + kh) * s.kernelW() + kw]);
                                    }
                                }
                            }
                        }
                        out[i++] = sum;
                    }
                }
            }
        }
        return out;
    }

    private static String element(Conv2dShape s, int rel) {
        int ow = rel % s.outW();
        int oh = rel / s.outW() % s.outH();
        int m = rel / (s.outW() * s.outH()) % s.outChannels();
        int n = rel / (s.outW() * s.outH() * s.outChannels());
        return "y[" + n + "][" + m + "][" + oh + "][" + ow + "]";
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float f : v) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }

    @Test
    void isExactOnSmallIntegers() {
        qt().withExamples(EXAMPLES).forAll(EdgeSizes.sizes(1, 19), EdgeSizes.sizes(1, MAX_HW), Generate.range(1, 5),
                        EdgeSizes.seeds())
                .checkAssert((cg, h, k, seed) -> check(Case.general(cg, h, k, seed, true)));
    }

    @Test
    void matchesTheReferenceWithinTheReductionBound() {
        qt().withExamples(EXAMPLES).forAll(EdgeSizes.sizes(1, 19), EdgeSizes.sizes(1, MAX_HW), Generate.range(1, 5),
                        EdgeSizes.seeds())
                .checkAssert((cg, h, k, seed) -> check(Case.general(cg, h, k, seed, false)));
    }

    @Test
    void depthwiseKernelsMatchTheReference() {
        qt().withExamples(EXAMPLES).forAll(EdgeSizes.sizes(1, 20), EdgeSizes.sizes(1, MAX_HW_DEPTHWISE),
                        Generate.pick(List.of(3, 5)), EdgeSizes.seeds())
                .checkAssert((c, h, k, seed) -> {
                    Case t = Case.depthwise(c, h, k, seed, seed % 2 == 0);
                    check(t);
                    assertKernelsAgree(t);
                });
    }

    /**
     * Every depthwise kernel this backend has agrees bitwise with the scalar twin: each output is the
     * same fused multiply-add chain in the same order, then the same epilogue.
     */
    private static void assertKernelsAgree(Case t) {
        Conv2dShape s = t.shape;
        float[] x = t.x();
        float[] w = t.w();
        Epilogue e = t.epilogue(t.bias());
        float[] twin = new float[t.yOff + s.outputSize()];
        Conv2d.depthwise(Conv2dDepthwiseScalar.INSTANCE, s, x, t.xOff, w, t.wOff, twin, t.yOff, e, ThreadPool.SERIAL);
        DepthwiseConvKernel kernel = KernelProvider.backend().depthwiseConv();
        float[] fast = new float[twin.length];
        Conv2d.depthwise(kernel, s, x, t.xOff, w, t.wOff, fast, t.yOff, e, ThreadPool.SERIAL);
        for (int i = t.yOff; i < twin.length; i++) {
            Tolerance.assertSame(twin[i], fast[i], t.describe() + " " + kernel.name() + " vs the scalar twin at "
                    + element(s, i - t.yOff));
        }
    }

    /**
     * The im2col writes exactly the panels {@link PackedMatrix#packInto} makes of the row-major column
     * matrix (taps from the definition, 0 in the padding), for a block of pixels starting anywhere,
     * into a buffer of stale NaNs: the last panel's missing columns come out zero.
     */
    @Test
    void im2colWritesThePackedPanelsOfTheColumnMatrix() {
        qt().withExamples(EXAMPLES).forAll(EdgeSizes.sizes(1, 19), EdgeSizes.sizes(1, MAX_HW), Generate.range(1, 5),
                        EdgeSizes.seeds())
                .checkAssert((cg, h, kh, seed) -> {
                    Case t = Case.general(cg, h, kh, seed, true);
                    Conv2dShape s = t.shape;
                    SplittableRandom r = new SplittableRandom(seed);
                    int pixels = s.outH() * s.outW();
                    int j0 = r.nextInt(pixels);
                    int jn = r.nextInt(1, pixels - j0 + 1);
                    int n = r.nextInt(s.batch());
                    int g = r.nextInt(s.groups());
                    int k = s.reduction();
                    float[] x = t.x();
                    float[] rows = new float[k * jn];
                    for (int row = 0; row < k; row++) {
                        int c = g * s.groupChannels() + row / (s.kernelH() * s.kernelW());
                        int kh1 = row / s.kernelW() % s.kernelH();
                        int kw1 = row % s.kernelW();
                        for (int j = 0; j < jn; j++) {
                            int oh = (j0 + j) / s.outW();
                            int ow = (j0 + j) % s.outW();
                            int ih = oh * s.strideH() - s.padTop() + kh1 * s.dilationH();
                            int iw = ow * s.strideW() - s.padLeft() + kw1 * s.dilationW();
                            boolean inside = ih >= 0 && ih < s.height() && iw >= 0 && iw < s.width();
                            rows[row * jn + j] = inside
                                    ? x[t.xOff + ((n * s.channels() + c) * s.height() + ih) * s.width() + iw] : 0f;
                        }
                    }
                    int size = PackedMatrix.packedSize(k, jn);
                    float[] want = new float[size];
                    int nr = PackedMatrix.packInto(false, k, jn, rows, 0, jn, want, ThreadPool.SERIAL).nr();
                    float[] packed = new float[size + 3];
                    Arrays.fill(packed, Float.NaN);
                    Conv2d.im2colPacked(s, x, t.xOff, n, g, j0, jn, nr, packed,
                            seed % 2 == 0 ? ThreadPool.SERIAL : THREE);
                    for (int i = 0; i < packed.length; i++) {
                        Tolerance.assertSame(i < size ? want[i] : Float.NaN, packed[i], t.describe() + " block n=" + n
                                + " g=" + g + " pixels [" + j0 + ", " + (j0 + jn) + ") packed index " + i
                                + (i < size ? "" : " (past the panels: must be untouched)"));
                    }
                });
    }

    /**
     * Layers big enough that the GEMM, the im2col and the depthwise planes really split over 2 and
     * 3 threads (the random cases mostly stay on one), including an im2col split into pixel blocks.
     */
    @Test
    void threadsAgreeBitwiseOnLayersBigEnoughToSplit() {
        List<Conv2dShape> shapes = List.of(
                new Conv2dShape(1, 24, 30, 30, 40, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),
                new Conv2dShape(2, 12, 33, 31, 18, 3, 5, 2, 1, 1, 2, 2, 1, 0, 3, 3),
                new Conv2dShape(1, 64, 32, 32, 48, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1),
                new Conv2dShape(1, 64, 64, 63, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 64),
                new Conv2dShape(2, 32, 90, 89, 32, 5, 5, 2, 2, 1, 1, 2, 1, 3, 2, 32),
                // k * pixels = 144 * 9216 floats > one im2col block
                new Conv2dShape(1, 16, 96, 96, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1));
        long seed = 7;
        for (Conv2dShape s : shapes) {
            for (int kind = 0; kind < 2; kind++) {
                boolean integers = kind == 0;
                check(new Case(s, seed++, integers ? 3 : 5, integers, 1, 2, 3));
            }
        }
        assertTrue((long) shapes.get(5).reduction() * shapes.get(5).outH() * shapes.get(5).outW()
                > Conv2d.COLUMN_BLOCK_FLOATS, "the last layer must take more than one im2col block");
    }

    @Test
    void referenceMatchesHandComputedOnnxExamples() {
        float[] x = new float[35];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        float[] ones = {1, 1, 1, 1, 1, 1, 1, 1, 1};
        // ONNX Conv examples: 5x5 input 0..24, 3x3 filter of ones
        float[] padded = new float[25];
        dev.sprig.kernels.reference.Conv2d.conv2d(Conv2dShape.of(1, 1, 5, 5, 1, 3, 1, 1, 1), x, 0, ones, 0, padded, 0,
                Epilogue.NONE);
        assertArrayEquals(new float[]{12, 21, 27, 33, 24, 33, 54, 63, 72, 51, 63, 99, 108, 117, 81,
            93, 144, 153, 162, 111, 72, 111, 117, 123, 84}, padded);
        float[] strided = new float[9];
        dev.sprig.kernels.reference.Conv2d.conv2d(Conv2dShape.of(1, 1, 5, 5, 1, 3, 2, 1, 1), x, 0, ones, 0, strided, 0,
                Epilogue.NONE);
        assertArrayEquals(new float[]{12, 27, 24, 63, 108, 81, 72, 117, 84}, strided);
        // 7x5 input 0..34, stride 2, pads (top, left, bottom, right) = (1, 0, 1, 0)
        float[] asymmetric = new float[8];
        dev.sprig.kernels.reference.Conv2d.conv2d(new Conv2dShape(1, 1, 7, 5, 1, 3, 3, 2, 2, 1, 1, 1, 0, 1, 0, 1),
                x, 0, ones, 0, asymmetric, 0, Epilogue.NONE);
        assertArrayEquals(new float[]{21, 33, 99, 117, 189, 207, 171, 183}, asymmetric);
        // dilation 2: a 2x2 filter of ones over taps two apart
        float[] dilated = new float[9];
        dev.sprig.kernels.reference.Conv2d.conv2d(new Conv2dShape(1, 1, 5, 5, 1, 2, 2, 1, 1, 2, 2, 0, 0, 0, 0, 1),
                x, 0, ones, 0, dilated, 0, Epilogue.biasPerRow(new float[]{-24}, 0));
        assertArrayEquals(new float[]{0, 4, 8, 20, 24, 28, 40, 44, 48}, dilated);
        // and the optimised driver agrees on every one of them
        float[] fast = new float[8];
        Conv2d.conv2d(new Conv2dShape(1, 1, 7, 5, 1, 3, 3, 2, 2, 1, 1, 1, 0, 1, 0, 1), x, 0, ones, 0, fast, 0);
        assertArrayEquals(asymmetric, fast);
    }

    @Test
    void badShapesAndOperandsFailClearly() {
        assertMessage(() -> Conv2dShape.of(1, 6, 8, 8, 4, 3, 1, 1, 4), "channels must be a multiple of groups = 4, got channels = 6");
        assertMessage(() -> Conv2dShape.of(1, 6, 8, 8, 4, 3, 1, 1, 3), "outChannels must be a multiple of groups = 3, got outChannels = 4");
        assertMessage(() -> Conv2dShape.of(1, 3, 8, 8, 4, 3, 0, 1, 1), "strideH must be >= 1, got 0");
        assertMessage(() -> new Conv2dShape(1, 3, 8, 8, 4, 3, 3, 1, 1, 1, 0, 1, 1, 1, 1, 1), "dilationW must be >= 1, got 0");
        assertMessage(() -> new Conv2dShape(1, 3, 8, 8, 4, 3, 3, 1, 1, 1, 1, 0, -1, 0, 0, 1), "padLeft must be >= 0, got -1");
        assertMessage(() -> Conv2dShape.of(1, 3, 2, 8, 4, 5, 1, 1, 1), "padded height (height + padTop + padBottom = 4)");
        assertMessage(() -> Conv2dShape.of(0, 3, 8, 8, 4, 3, 1, 1, 1), "batch must be >= 1, got 0");
        Conv2dShape s = Conv2dShape.of(1, 2, 4, 4, 3, 3, 1, 1, 1);
        float[] w = new float[s.weightSize()];
        var e = assertThrows(IndexOutOfBoundsException.class,
                () -> Conv2d.conv2d(s, new float[s.inputSize() - 1], 0, w, 0, new float[s.outputSize()], 0));
        assertTrue(e.getMessage().startsWith("Conv2d input"), e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> Conv2d.conv2d(s, new float[s.inputSize()], 0, w, 0,
                new float[s.outputSize()], 0, Epilogue.biasPerRow(new float[2], 0), ThreadPool.SERIAL));
        assertTrue(e.getMessage().startsWith("Conv2d bias"), e.getMessage());
        assertMessage(() -> Conv2d.conv2d(s, new float[s.inputSize()], 0, w, 0, new float[s.outputSize()], 0,
                Epilogue.biasPerColumn(new float[64], 0), ThreadPool.SERIAL), "bias must be per output channel");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String expected) {
        var e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), "expected a message containing '" + expected + "', got: "
                + e.getMessage());
    }
}
