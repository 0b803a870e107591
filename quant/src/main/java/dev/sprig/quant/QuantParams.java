package dev.sprig.quant;

/**
 * Per-tensor affine quantization of an activation: {@code q = clamp(round(x / scale) + zeroPoint)}
 * in {@code type}'s range, {@code x ~ (q - zeroPoint) * scale}.
 */
public record QuantParams(float scale, int zeroPoint, ActivationType type) {

    /**
     * Asymmetric parameters for {@code range}, widened to contain 0 so that zero (padding, ReLU's
     * floor) is represented exactly: {@code scale = (max - min) / (qmax - qmin)},
     * {@code zeroPoint = round(qmin - min / scale)}. An all-zero range gets scale 1.
     */
    public static QuantParams forRange(TensorRange range, ActivationType type) {
        double lo = Math.min(0, range.min());
        double hi = Math.max(0, range.max());
        if (hi - lo == 0) {
            return new QuantParams(1f, type == ActivationType.UINT8 ? 0 : 0, type);
        }
        float scale = (float) ((hi - lo) / (type.max() - type.min()));
        if (scale == 0 || !Float.isFinite(scale)) {
            throw new IllegalArgumentException("range " + range + " gives no usable float scale (" + scale + ")");
        }
        long zp = Math.round(Math.rint(type.min() - lo / scale));
        int zeroPoint = (int) Math.max(type.min(), Math.min(type.max(), zp));
        return new QuantParams(scale, zeroPoint, type);
    }
}
