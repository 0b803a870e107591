package dev.sprig.quant;

import dev.sprig.core.DType;

/** The integer type activations are quantized to (asymmetric, per tensor), with its range. */
public enum ActivationType {
    /** 0..255 (the {@link QuantConfig#defaults()} choice). */
    UINT8(DType.UINT8, 0, 255),
    /** -128..127. */
    INT8(DType.INT8, -128, 127);

    private final DType dtype;
    private final int min;
    private final int max;

    ActivationType(DType dtype, int min, int max) {
        this.dtype = dtype;
        this.min = min;
        this.max = max;
    }

    /** The tensor element type of quantized values and zero points. */
    public DType dtype() {
        return dtype;
    }

    /** Smallest quantized value. */
    public int min() {
        return min;
    }

    /** Largest quantized value. */
    public int max() {
        return max;
    }
}
