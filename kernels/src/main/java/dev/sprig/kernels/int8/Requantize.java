package dev.sprig.kernels.int8;

import dev.sprig.kernels.Ranges;
import java.util.Objects;

/**
 * Turns the int32 accumulators of {@link Qgemm} into outputs, with ONNX semantics
 * ({@link dev.sprig.kernels.reference.Requantize} is the definition; results equal it exactly):
 * <ul>
 *   <li>{@link #toBytes}: {@code q = saturate(roundHalfToEven(float(acc + bias[j]) * scale) + zeroPoint)}
 *       to uint8 or int8, with an optional clamp to [qMin, qMax] (a relu or clip fused in the
 *       quantized domain: relu is {@code qMin = zeroPoint}), as QLinearMatMul / QLinearConv;</li>
 *   <li>{@link #toFloats}: {@code y = float(acc) * scale[j] + bias[j]} (dynamic quantization: scale
 *       is the activation scale times the weight scale).</li>
 * </ul>
 * Scales and biases are per tensor (length 1) or per column (length n).
 */
public final class Requantize {

    private Requantize() {
    }

    /**
     * Requantizes the m x n block {@code acc[accOff + i*ldAcc + j]} into bytes
     * {@code y[yOff + i*ldy + j]}, saturated to the full uint8 or int8 range.
     *
     * @param bias per-column int32 bias added to the accumulator first, or null
     * @param scale float scale, length 1 or n
     */
    public static void toBytes(int[] acc, int accOff, int m, int n, int ldAcc, int[] bias,
                               float[] scale, int zeroPoint, boolean signed, byte[] y, int yOff, int ldy) {
        toBytes(acc, accOff, m, n, ldAcc, bias, scale, zeroPoint, signed, Integer.MIN_VALUE, Integer.MAX_VALUE,
                y, yOff, ldy);
    }

    /**
     * {@link #toBytes(int[], int, int, int, int, int[], float[], int, boolean, byte[], int, int)}
     * with the result also clamped to [qMin, qMax] (e.g. a fused relu: qMin = zeroPoint).
     *
     * @throws IllegalArgumentException for a scale or bias of the wrong length, or qMin > qMax
     * @throws IndexOutOfBoundsException when an operand does not fit its array
     */
    public static void toBytes(int[] acc, int accOff, int m, int n, int ldAcc, int[] bias,
                               float[] scale, int zeroPoint, boolean signed, int qMin, int qMax,
                               byte[] y, int yOff, int ldy) {
        Ranges.checkMatrix("accumulators", accOff, m, n, ldAcc, acc.length);
        Ranges.checkMatrix("output", yOff, m, n, ldy, y.length);
        checkPerColumn("scale", scale.length, n);
        if (bias != null) {
            Ranges.check("bias", 0, n, bias.length);
        }
        checkClamp(qMin, qMax);
        float lo = low(signed, qMin);
        float hi = high(signed, qMax);
        float zp = zeroPoint;
        boolean perColumn = scale.length != 1;
        float s0 = scale[0];
        for (int i = 0; i < m; i++) {
            int ai = accOff + i * ldAcc;
            int yi = yOff + i * ldy;
            for (int j = 0; j < n; j++) {
                int v = bias == null ? acc[ai + j] : acc[ai + j] + bias[j];
                y[yi + j] = quantize(v, perColumn ? scale[j] : s0, zp, lo, hi);
            }
        }
    }

    /**
     * {@link #toBytes(int[], int, int, int, int, int[], float[], int, boolean, int, int, byte[], int, int)}
     * for accumulators that are integer-valued floats (an exact integer sum computed on FP32
     * kernels), laid out with one row per output channel: bias and scale are per row, rows of
     * {@code n} contiguous values from {@code accOff}, output likewise from {@code yOff}. Bitwise
     * the same bytes as the int version on the transposed matrix: the value is converted to int
     * and the same float arithmetic follows.
     *
     * @throws IllegalArgumentException for a scale or bias of the wrong length, or qMin > qMax
     * @throws IndexOutOfBoundsException when an operand does not fit its array
     */
    public static void floatRowsToBytes(float[] acc, int accOff, int m, int n, int[] bias, float[] scale,
                                        int zeroPoint, boolean signed, int qMin, int qMax, byte[] y, int yOff) {
        Ranges.checkMatrix("accumulators", accOff, m, n, n, acc.length);
        Ranges.checkMatrix("output", yOff, m, n, n, y.length);
        checkPerColumn("scale", scale.length, m);
        if (bias != null) {
            Ranges.check("bias", 0, m, bias.length);
        }
        checkClamp(qMin, qMax);
        float lo = low(signed, qMin);
        float hi = high(signed, qMax);
        float zp = zeroPoint;
        for (int i = 0; i < m; i++) {
            int b = bias == null ? 0 : bias[i];
            float s = scale[scale.length == 1 ? 0 : i];
            int ai = accOff + i * n;
            int yi = yOff + i * n;
            for (int j = 0; j < n; j++) {
                y[yi + j] = quantize((int) acc[ai + j] + b, s, zp, lo, hi);
            }
        }
    }

    /**
     * One value: scaled, rounded half to even ({@code rint}), the zero point added in float after
     * rounding, which is exact (|q| < 2^24 or saturated anyway), then clamped to [lo, hi].
     */
    private static byte quantize(int v, float scale, float zp, float lo, float hi) {
        float q = (float) Math.rint((float) v * scale) + zp;
        return (byte) (int) Math.min(Math.max(q, lo), hi);
    }

    /** The saturation bound and the clamp as one range: its low end. */
    private static float low(boolean signed, int qMin) {
        return Math.max(signed ? -128 : 0, qMin);
    }

    /** The saturation bound and the clamp as one range: its high end. */
    private static float high(boolean signed, int qMax) {
        return Math.min(signed ? 127 : 255, qMax);
    }

    private static void checkClamp(int qMin, int qMax) {
        if (qMin > qMax) {
            throw new IllegalArgumentException("requantize: clamp needs qMin <= qMax, got [" + qMin + ", " + qMax + "]");
        }
    }

    /**
     * {@code y[yOff + i*ldy + j] = float(acc[accOff + i*ldAcc + j]) * scale[0 or j] + (bias == null ? 0 : bias[j])}.
     *
     * @throws IllegalArgumentException for a scale of the wrong length
     * @throws IndexOutOfBoundsException when an operand does not fit its array
     */
    public static void toFloats(int[] acc, int accOff, int m, int n, int ldAcc, float[] scale, float[] bias,
                                float[] y, int yOff, int ldy) {
        Ranges.checkMatrix("accumulators", accOff, m, n, ldAcc, acc.length);
        Ranges.checkMatrix("output", yOff, m, n, ldy, y.length);
        checkPerColumn("scale", scale.length, n);
        if (bias != null) {
            Ranges.check("bias", 0, n, bias.length);
        }
        boolean perColumn = scale.length != 1;
        float s0 = scale[0];
        for (int i = 0; i < m; i++) {
            int ai = accOff + i * ldAcc;
            int yi = yOff + i * ldy;
            for (int j = 0; j < n; j++) {
                float v = (float) acc[ai + j] * (perColumn ? scale[j] : s0);
                y[yi + j] = bias == null ? v : v + bias[j];
            }
        }
    }

    private static void checkPerColumn(String what, int length, int n) {
        Objects.requireNonNull(what);
        if (length != 1 && length != n) {
            throw new IllegalArgumentException("requantize: " + what + " must have length 1 (per tensor) or n = " + n
                    + " (per column), got " + length);
        }
    }
}
