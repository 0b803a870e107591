package dev.sprig.kernels.reduce;

import dev.sprig.kernels.Ranges;

/**
 * Row-wise normalisations of a row-major {@code rows x cols} float32 matrix over its last axis, as
 * ONNX Softmax, LogSoftmax and LayerNormalization (axis = -1) define them. One implementation per
 * backend ({@code KernelBackend#norm()}): the reference loops
 * ({@link dev.sprig.kernels.reference.Normalization}) and a Vector API twin.
 *
 * <p>Rows are contiguous ({@code cols} apart). {@code y} may be {@code x} at the same offset (in
 * place). Every method checks its ranges and arguments before writing and never allocates. Results
 * differ between backends by rounding only (summation order, the vectorised exp within 2 ulp).
 */
public interface NormKernels {

    /**
     * {@code y = e^(x - max) / sum(e^(x - max))} per row. Subtracting the row maximum keeps every
     * exponent {@code <= 0}, so nothing overflows. A row holding NaN or +Inf, or only -Inf, becomes NaN.
     */
    void softmax(int rows, int cols, float[] x, int xOff, float[] y, int yOff);

    /** {@code y = (x - max) - ln(sum(e^(x - max)))} per row; NaN rows as for {@link #softmax}. */
    void logSoftmax(int rows, int cols, float[] x, int xOff, float[] y, int yOff);

    /**
     * {@code y = (x - mean) / sqrt(var + epsilon) * scale + bias} per row, with the population
     * variance computed in a second pass over {@code x - mean} (no cancellation for rows with a large
     * mean). {@code scale} and {@code bias} hold {@code cols} values each; either may be null (1 and 0).
     *
     * @throws IllegalArgumentException if epsilon is negative or not finite
     */
    void layerNorm(int rows, int cols, float epsilon, float[] x, int xOff, float[] scale, int scaleOff,
                   float[] bias, int biasOff, float[] y, int yOff);

    /** The argument checks every implementation makes; {@code kernel} names the caller. */
    static void checkRows(String kernel, int rows, int cols, float[] x, int xOff, float[] y, int yOff) {
        Ranges.checkMatrix(kernel + " x", xOff, rows, cols, Math.max(1, cols), x.length);
        Ranges.checkMatrix(kernel + " y", yOff, rows, cols, Math.max(1, cols), y.length);
    }

    /** The extra checks of {@link #layerNorm}: epsilon, and scale and bias when present. */
    static void checkLayerNorm(int cols, float epsilon, float[] scale, int scaleOff, float[] bias, int biasOff) {
        if (!(epsilon >= 0f) || Float.isInfinite(epsilon)) {
            throw new IllegalArgumentException("layerNorm: epsilon must be finite and >= 0, got " + epsilon);
        }
        if (scale != null) {
            Ranges.check("layerNorm scale", scaleOff, cols, scale.length);
        }
        if (bias != null) {
            Ranges.check("layerNorm bias", biasOff, cols, bias.length);
        }
    }
}
