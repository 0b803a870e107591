package dev.sprig.kernels.int8;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Requantization against values worked out by hand from the ONNX definition
 * ({@code saturate(roundHalfToEven(acc * scale) + zeroPoint)}): ties go to the even neighbour,
 * both ends saturate, per-column scales and biases, the fused clamp; and against the reference on
 * random data.
 */
class RequantizeTest {

    private static byte[] requantize(int[] acc, int n, int[] bias, float[] scale, int zp, boolean signed,
                                     int qMin, int qMax) {
        byte[] y = new byte[acc.length];
        Requantize.toBytes(acc, 0, acc.length / n, n, n, bias, scale, zp, signed, qMin, qMax, y, 0, n);
        return y;
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void tiesRoundHalfToEven() {
        // acc * 0.5: 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, 3.5 -> 4, -0.5 -> 0, -1.5 -> -2, -2.5 -> -2
        int[] acc = {1, 3, 5, 7, -1, -3, -5};
        assertArrayEquals(bytes(0, 2, 2, 4, 0, -2, -2),
                requantize(acc, 7, null, new float[]{0.5f}, 0, true, -128, 127));
        // with a zero point of 10 the rounding happens before it is added: 10, 12, 12, 14, 10, 8, 8
        assertArrayEquals(bytes(10, 12, 12, 14, 10, 8, 8),
                requantize(acc, 7, null, new float[]{0.5f}, 10, false, 0, 255));
        // 0.25 * 10 = 2.5 -> 2, 0.25 * 14 = 3.5 -> 4, 0.25 * 6 = 1.5 -> 2; non-ties round to nearest
        assertArrayEquals(bytes(2, 4, 2, 3, -3),
                requantize(new int[]{10, 14, 6, 11, -11}, 5, null, new float[]{0.25f}, 0, true, -128, 127));
    }

    @Test
    void saturatesAtBothEnds() {
        int[] acc = {1000, -1000, 127, 128, -128, -129, 255, 256};
        assertArrayEquals(bytes(127, -128, 127, 127, -128, -128, 127, 127),
                requantize(acc, 8, null, new float[]{1f}, 0, true, Integer.MIN_VALUE, Integer.MAX_VALUE));
        // uint8 with zero point 128: acc + 128 saturated to [0, 255]
        assertArrayEquals(bytes(255, 0, 255, 255, 0, 0, 255, 255),
                requantize(acc, 8, null, new float[]{1f}, 128, false, Integer.MIN_VALUE, Integer.MAX_VALUE));
        assertArrayEquals(bytes(127, 0, 255, 255, 0, 0, 255, 255),
                requantize(new int[]{-1, -128, 127, 128, -129, -200, 1 << 30, Integer.MAX_VALUE}, 8, null,
                        new float[]{1f}, 128, false, Integer.MIN_VALUE, Integer.MAX_VALUE));
        assertArrayEquals(bytes(-128, 127),
                requantize(new int[]{Integer.MIN_VALUE, Integer.MAX_VALUE}, 2, null, new float[]{1f}, 0, true,
                        Integer.MIN_VALUE, Integer.MAX_VALUE));
    }

    @Test
    void perColumnScaleBiasAndClamp() {
        // row 0: (4 + 1) * 2 = 10, (4 - 2) * 0.5 = 1, 4 * 0 + 3 ... columns: scale {2, 0.5, 1}, bias {1, -2, 0}
        int[] acc = {4, 4, 4, -9, 9, 0};
        int[] bias = {1, -2, 0};
        float[] scale = {2f, 0.5f, 1f};
        // row 0: 10, 1, 4; row 1: -16, 3.5 -> 4, 0; plus zero point 3: 13, 4, 7; -13, 7, 3
        assertArrayEquals(bytes(13, 4, 7, -13, 7, 3),
                requantize(acc, 3, bias, scale, 3, true, Integer.MIN_VALUE, Integer.MAX_VALUE));
        // relu in the quantized domain: clamp below at the zero point 3; clip above at 6
        assertArrayEquals(bytes(6, 4, 6, 3, 6, 3), requantize(acc, 3, bias, scale, 3, true, 3, 6));
    }

    @Test
    void toFloatsScalesPerColumnAndAddsBias() {
        int[] acc = {2, -3, 4, 5};
        float[] y = new float[4];
        Requantize.toFloats(acc, 0, 2, 2, 2, new float[]{0.5f, 0.25f}, new float[]{1f, -1f}, y, 0, 2);
        assertArrayEquals(new float[]{2f, -1.75f, 3f, 0.25f}, y);
        Requantize.toFloats(acc, 0, 2, 2, 2, new float[]{2f}, null, y, 0, 2);
        assertArrayEquals(new float[]{4f, -6f, 8f, 10f}, y);
    }

    @Test
    void matchesReferenceOnRandomData() {
        SplittableRandom r = new SplittableRandom(99);
        for (int trial = 0; trial < 200; trial++) {
            int m = r.nextInt(1, 6);
            int n = r.nextInt(1, 40);
            int ld = n + r.nextInt(3);
            int off = r.nextInt(4);
            int[] acc = new int[off + m * ld];
            for (int i = 0; i < acc.length; i++) {
                acc[i] = r.nextInt(-70000, 70000) * (r.nextInt(10) == 0 ? 2 : 1); // 2x: more exact ties
            }
            int[] bias = r.nextBoolean() ? null : r.ints(n, -5000, 5000).toArray();
            float[] scale = new float[r.nextBoolean() ? 1 : n];
            for (int j = 0; j < scale.length; j++) {
                scale[j] = r.nextBoolean() ? (float) Math.scalb(1.0, -r.nextInt(1, 12)) : (float) r.nextDouble(1e-4, 0.05);
            }
            boolean signed = r.nextBoolean();
            int zp = signed ? r.nextInt(-128, 128) : r.nextInt(256);
            int qMin = r.nextBoolean() ? Integer.MIN_VALUE : zp;
            int qMax = r.nextBoolean() ? Integer.MAX_VALUE : (signed ? 100 : 200);
            qMin = Math.min(qMin, qMax);
            byte[] expected = new byte[off + m * ld];
            byte[] actual = new byte[off + m * ld];
            dev.sprig.kernels.reference.Requantize.toBytes(acc, off, m, n, ld, bias, scale, zp, signed, qMin, qMax,
                    expected, off, ld);
            Requantize.toBytes(acc, off, m, n, ld, bias, scale, zp, signed, qMin, qMax, actual, off, ld);
            assertArrayEquals(expected, actual, "trial " + trial);
        }
    }

    @Test
    void floatRowsMatchTheReferenceOnTheTransposedIntegers() {
        SplittableRandom r = new SplittableRandom(101);
        for (int trial = 0; trial < 200; trial++) {
            int channels = r.nextInt(1, 6);
            int positions = r.nextInt(1, 40);
            int off = r.nextInt(4);
            // integer-valued floats up to 2^24, the range the exact FP32 convolution produces
            float[] rows = new float[off + channels * positions];
            int[] transposed = new int[positions * channels];
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < positions; p++) {
                    int v = r.nextInt(-(1 << 24), (1 << 24) + 1) / (r.nextInt(4) == 0 ? 256 : 1) * 2;
                    rows[off + c * positions + p] = v;
                    transposed[p * channels + c] = v;
                }
            }
            int[] bias = r.nextBoolean() ? null : r.ints(channels, -5000, 5000).toArray();
            float[] scale = new float[r.nextBoolean() ? 1 : channels];
            for (int j = 0; j < scale.length; j++) {
                scale[j] = r.nextBoolean() ? (float) Math.scalb(1.0, -r.nextInt(1, 20)) : (float) r.nextDouble(1e-7, 0.05);
            }
            boolean signed = r.nextBoolean();
            int zp = signed ? r.nextInt(-128, 128) : r.nextInt(256);
            int qMin = r.nextBoolean() ? Integer.MIN_VALUE : zp;
            int qMax = r.nextBoolean() ? Integer.MAX_VALUE : (signed ? 100 : 200);
            qMin = Math.min(qMin, qMax);
            byte[] expected = new byte[positions * channels];
            dev.sprig.kernels.reference.Requantize.toBytes(transposed, 0, positions, channels, channels, bias, scale, zp,
                    signed, qMin, qMax, expected, 0, channels);
            byte[] actual = new byte[off + channels * positions];
            Requantize.floatRowsToBytes(rows, off, channels, positions, bias, scale, zp, signed, qMin, qMax, actual, off);
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < positions; p++) {
                    if (expected[p * channels + c] != actual[off + c * positions + p]) {
                        throw new AssertionError("trial " + trial + " channel " + c + " position " + p + ": expected "
                                + expected[p * channels + c] + ", got " + actual[off + c * positions + p]);
                    }
                }
            }
        }
    }

    @Test
    void rejectsBadArguments() {
        int[] acc = new int[6];
        byte[] y = new byte[6];
        assertThrows(IllegalArgumentException.class,
                () -> Requantize.toBytes(acc, 0, 2, 3, 3, null, new float[2], 0, true, y, 0, 3));
        assertThrows(IllegalArgumentException.class,
                () -> Requantize.toBytes(acc, 0, 2, 3, 3, null, new float[1], 0, true, 5, 4, y, 0, 3));
        assertThrows(IndexOutOfBoundsException.class,
                () -> Requantize.toBytes(acc, 0, 2, 3, 3, new int[2], new float[1], 0, true, y, 0, 3));
        assertThrows(IndexOutOfBoundsException.class,
                () -> Requantize.toBytes(acc, 1, 2, 3, 3, null, new float[1], 0, true, y, 0, 3));
    }
}
