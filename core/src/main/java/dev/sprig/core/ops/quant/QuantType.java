package dev.sprig.core.ops.quant;

import dev.sprig.core.DType;

/**
 * The 8-bit integer types a quantized tensor holds, UINT8 [0, 255] and INT8 [-128, 127], both
 * stored in a {@code byte[]}: reading an element, and ONNX's saturation of an already rounded
 * value to the type's range.
 */
final class QuantType {

    private QuantType() {
    }

    /** True for UINT8 and INT8. */
    static boolean isQuantized(DType t) {
        return t == DType.UINT8 || t == DType.INT8;
    }

    /** True for INT8 (elements read as signed bytes). */
    static boolean signed(DType t) {
        return t == DType.INT8;
    }

    /** Smallest value of the type. */
    static int min(DType t) {
        return t == DType.INT8 ? -128 : 0;
    }

    /** Largest value of the type. */
    static int max(DType t) {
        return t == DType.INT8 ? 127 : 255;
    }

    /** Element {@code i} of a byte array as its integer value: signed or unsigned. */
    static int value(byte[] data, int i, boolean signed) {
        return signed ? data[i] : data[i] & 0xFF;
    }

    /**
     * {@code v} (already rounded to an integer) clamped to [min, max] and stored as a byte; NaN
     * becomes 0, as it does after the spec's clip and integer cast.
     */
    static byte saturate(double v, int min, int max) {
        if (v != v) {
            return 0;
        }
        double clamped = v < min ? min : Math.min(v, max);
        return (byte) (int) clamped;
    }
}
