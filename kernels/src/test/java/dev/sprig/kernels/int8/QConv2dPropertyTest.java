package dev.sprig.kernels.int8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.conv.Conv2dShape;
import dev.sprig.kernels.testing.EdgeSizes;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@link QConv2d} against the direct loop {@link dev.sprig.kernels.reference.QConv2d}, exactly:
 * random geometries (kernels 1 to 5, strides, dilations, asymmetric pads, groups including
 * depthwise), int8/uint8 inputs and filters, zero points 0/128/random (padding must read as the
 * input's zero point), per-tensor and per-channel filter zero points, offsets, 1 and 3 threads;
 * a quarter of the geometries 1x1 unpadded stride 1 (the pointwise path). The requantized output
 * against the reference accumulators requantized one value at a time.
 */
class QConv2dPropertyTest {

    private static final ThreadPool THREE = ThreadPool.create(3);

    @AfterAll
    static void closePool() {
        THREE.close();
    }

    private static void check(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int groups = new int[]{1, 1, 2, 3}[r.nextInt(4)];
        int cg = r.nextInt(1, 5);
        int mg = r.nextInt(1, 20);
        boolean depthwise = r.nextInt(5) == 0;
        if (depthwise) {
            groups = r.nextInt(1, 9);
            cg = 1;
            mg = 1;
        }
        // a quarter are 1x1, stride 1, unpadded: the pointwise path that skips the patch gather
        boolean pointwise = r.nextInt(4) == 0;
        int kh = pointwise ? 1 : r.nextInt(1, 6);
        int kw = pointwise ? 1 : r.nextInt(1, 6);
        int size = pointwise ? 20 : 14;
        Conv2dShape s;
        try {
            s = new Conv2dShape(r.nextInt(1, 3), cg * groups, r.nextInt(1, size), r.nextInt(1, size), mg * groups, kh, kw,
                    pointwise ? 1 : r.nextInt(1, 3), pointwise ? 1 : r.nextInt(1, 3), r.nextInt(1, 3), r.nextInt(1, 3),
                    pointwise ? 0 : r.nextInt(3), pointwise ? 0 : r.nextInt(3), pointwise ? 0 : r.nextInt(3),
                    pointwise ? 0 : r.nextInt(3), groups);
        } catch (IllegalArgumentException emptyOutput) {
            return; // the geometry drew an empty output: nothing to compare
        }
        boolean xs = r.nextBoolean();
        boolean ws = r.nextBoolean();
        int xZero = switch (r.nextInt(3)) {
            case 0 -> 0;
            case 1 -> xs ? -128 : 128;
            default -> xs ? r.nextInt(-128, 128) : r.nextInt(256);
        };
        int[] wZero = new int[r.nextBoolean() ? 1 : s.outChannels()];
        for (int m = 0; m < wZero.length; m++) {
            wZero[m] = r.nextBoolean() ? 0 : ws ? r.nextInt(-128, 128) : r.nextInt(256);
        }
        int xOff = r.nextInt(3);
        int wOff = r.nextInt(3);
        int accOff = r.nextInt(3);
        byte[] x = new byte[xOff + s.inputSize()];
        byte[] w = new byte[wOff + s.weightSize()];
        r.nextBytes(x);
        r.nextBytes(w);
        int[] expected = new int[accOff + s.outputSize() + 2];
        Arrays.fill(expected, 0x5EED);
        dev.sprig.kernels.reference.QConv2d.conv2d(s, x, xOff, xs, xZero, w, wOff, ws, wZero, expected, accOff);
        PackedQConvWeights packed = PackedQConvWeights.pack(s, w, wOff, ws, wZero);
        for (ThreadPool pool : new ThreadPool[]{ThreadPool.SERIAL, THREE}) {
            int[] acc = new int[expected.length];
            Arrays.fill(acc, 0x5EED);
            QConv2d.conv2d(s, x, xOff, xs, xZero, packed, acc, accOff, pool);
            assertArrayEquals(expected, acc, () -> s + " seed=" + seed + " x " + (xs ? "s8" : "u8") + " zero " + xZero
                    + ", w " + (ws ? "s8" : "u8") + " zero " + Arrays.toString(wZero) + " threads=" + pool.threads());
        }
        checkToBytes(r, s, x, xOff, xs, xZero, packed, expected, accOff, seed);
    }

    /**
     * {@link QConv2d#conv2dToBytes} against the reference accumulators requantized one at a time by
     * the scalar twin {@link dev.sprig.kernels.reference.Requantize}.
     */
    private static void checkToBytes(SplittableRandom r, Conv2dShape s, byte[] x, int xOff, boolean xs, int xZero,
                                     PackedQConvWeights packed, int[] acc, int accOff, long seed) {
        int channels = s.outChannels();
        int[] bias = r.nextBoolean() ? null : r.ints(channels, -2000, 2000).toArray();
        float[] scale = new float[r.nextBoolean() ? 1 : channels];
        for (int m = 0; m < scale.length; m++) {
            scale[m] = (float) r.nextDouble(1e-3, 0.2);
        }
        boolean ys = r.nextBoolean();
        int yZero = ys ? r.nextInt(-128, 128) : r.nextInt(256);
        // half of the cases clamp below at the zero point, as a fused relu does
        int qMin = r.nextBoolean() ? yZero : Integer.MIN_VALUE;
        int yOff = r.nextInt(3);
        int pixels = s.outH() * s.outW();
        byte[] expected = new byte[yOff + s.outputSize() + 1];
        for (int i = 0; i < s.outputSize(); i++) {
            int m = i / pixels % channels;
            expected[yOff + i] = (byte) dev.sprig.kernels.reference.Requantize.requantize(
                    acc[accOff + i] + (bias == null ? 0 : bias[m]), scale[scale.length == 1 ? 0 : m], yZero, ys, qMin,
                    Integer.MAX_VALUE);
        }
        for (ThreadPool pool : new ThreadPool[]{ThreadPool.SERIAL, THREE}) {
            byte[] y = new byte[expected.length];
            QConv2d.conv2dToBytes(s, x, xOff, xs, xZero, packed, bias, scale, yZero, ys, qMin, Integer.MAX_VALUE, y, yOff,
                    pool);
            assertArrayEquals(expected, y, () -> s + " seed=" + seed + " requantized to " + (ys ? "s8" : "u8")
                    + " zero " + yZero + " threads=" + pool.threads());
        }
    }

    @Test
    void matchesReferenceOnRandomGeometries() {
        qt().withExamples(300).withFixedSeed(0xC0117L).forAll(EdgeSizes.seeds()).checkAssert(QConv2dPropertyTest::check);
    }

    @Test
    void paddingReadsAsTheInputZeroPoint() {
        // 1 channel 1x1 image of value 200 (uint8, zero point 200): every tap is x - xZero = 0, in
        // the image and in the padding, so all outputs are 0 whatever the filter
        Conv2dShape s = Conv2dShape.of(1, 1, 1, 1, 1, 3, 1, 1, 1);
        byte[] w = new byte[9];
        Arrays.fill(w, (byte) 5);
        int[] acc = new int[1];
        acc[0] = 99;
        QConv2d.conv2d(s, new byte[]{(byte) 200}, 0, false, 200, PackedQConvWeights.pack(s, w, 0, true, new int[]{0}),
                acc, 0, ThreadPool.SERIAL);
        assertArrayEquals(new int[]{0}, acc);
        // zero point 0 instead: only the centre tap counts, 200 * 5
        QConv2d.conv2d(s, new byte[]{(byte) 200}, 0, false, 0, PackedQConvWeights.pack(s, w, 0, true, new int[]{0}),
                acc, 0, ThreadPool.SERIAL);
        assertArrayEquals(new int[]{1000}, acc);
    }

    @Test
    void rejectsFiltersOfAnotherGeometry() {
        Conv2dShape s = Conv2dShape.of(1, 2, 4, 4, 3, 3, 1, 1, 1);
        Conv2dShape other = Conv2dShape.of(1, 2, 4, 4, 4, 3, 1, 1, 1);
        PackedQConvWeights packed = PackedQConvWeights.pack(other, new byte[other.weightSize()], 0, true, new int[]{0});
        assertThrows(IllegalArgumentException.class, () -> QConv2d.conv2d(s, new byte[s.inputSize()], 0, false, 0,
                packed, new int[s.outputSize()], 0, ThreadPool.SERIAL));
        assertThrows(IllegalArgumentException.class,
                () -> PackedQConvWeights.pack(s, new byte[s.weightSize()], 0, true, new int[2]));
        PackedQConvWeights fits = PackedQConvWeights.pack(s, new byte[s.weightSize()], 0, true, new int[]{0});
        IllegalArgumentException bias = assertThrows(IllegalArgumentException.class, () -> QConv2d.conv2dToBytes(s,
                new byte[s.inputSize()], 0, false, 0, fits, new int[2], new float[]{1f}, 0, false, 0, 255,
                new byte[s.outputSize()], 0, ThreadPool.SERIAL));
        assertTrue(bias.getMessage().contains("expected 3 values"), bias.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QConv2d.conv2dToBytes(s, new byte[s.inputSize()], 0, false,
                0, fits, null, new float[2], 0, false, 0, 255, new byte[s.outputSize()], 0, ThreadPool.SERIAL));
    }
}
