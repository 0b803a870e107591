package dev.sprig.kernels.reference;

/**
 * Reference requantization of int32 accumulators to 8-bit integers with ONNX {@code QuantizeLinear}
 * rounding, the definition {@code QLinearMatMul} and {@code QLinearConv} use:
 * {@code q = saturate(roundHalfToEven(float(acc + bias) * scale) + zeroPoint)}, saturating to
 * [-128, 127] for int8 or [0, 255] for uint8, then clamped to [qMin, qMax] (a relu or clip fused
 * in the quantized domain; the full range when there is none).
 *
 * <p>The product is a float multiply, as ONNX Runtime computes it: the accumulator is converted to
 * float first (exact below 2^24 in magnitude), then multiplied by the float scale.
 */
public final class Requantize {

    private Requantize() {
    }

    /** One value: see the class comment. {@code bias} is already added to {@code acc} by the caller. */
    public static int requantize(int acc, float scale, int zeroPoint, boolean signed, int qMin, int qMax) {
        float scaled = (float) acc * scale;
        // Math.rint rounds half to even; a float is exact as a double, so rounding happens once
        double rounded = Math.rint(scaled);
        double q = rounded + zeroPoint;
        int lo = Math.max(signed ? -128 : 0, qMin);
        int hi = Math.min(signed ? 127 : 255, qMax);
        if (q <= lo) {
            return lo;
        }
        if (q >= hi) {
            return hi;
        }
        return (int) q;
    }

    /**
     * The m x n block of accumulators {@code acc[accOff + i*ldAcc + j]} (plus {@code bias[j]} when
     * bias is non-null) requantized with {@code scale[0]} or {@code scale[j]} into
     * {@code y[yOff + i*ldy + j]}, stored as the low byte of the 8-bit value.
     */
    public static void toBytes(int[] acc, int accOff, int m, int n, int ldAcc, int[] bias, float[] scale,
                               int zeroPoint, boolean signed, int qMin, int qMax, byte[] y, int yOff, int ldy) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int v = acc[accOff + i * ldAcc + j] + (bias == null ? 0 : bias[j]);
                float s = scale.length == 1 ? scale[0] : scale[j];
                y[yOff + i * ldy + j] = (byte) requantize(v, s, zeroPoint, signed, qMin, qMax);
            }
        }
    }

    /**
     * Dequantizing output (dynamic quantization, MatMulInteger followed by a float scale):
     * {@code y[i][j] = float(acc[i][j]) * scale[0 or j] + (bias == null ? 0 : bias[j])}.
     */
    public static void toFloats(int[] acc, int accOff, int m, int n, int ldAcc, float[] scale, float[] bias,
                                float[] y, int yOff, int ldy) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = scale.length == 1 ? scale[0] : scale[j];
                float v = (float) acc[accOff + i * ldAcc + j] * s;
                y[yOff + i * ldy + j] = bias == null ? v : v + bias[j];
            }
        }
    }
}
