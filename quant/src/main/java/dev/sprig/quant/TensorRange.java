package dev.sprig.quant;

/** The range [min, max] an activation is quantized over. */
public record TensorRange(float min, float max) {

    /** Checks {@code min <= max} and that both are finite. */
    public TensorRange {
        if (!Float.isFinite(min) || !Float.isFinite(max) || min > max) {
            throw new IllegalArgumentException("a range needs finite min <= max, got [" + min + ", " + max + "]");
        }
    }
}
