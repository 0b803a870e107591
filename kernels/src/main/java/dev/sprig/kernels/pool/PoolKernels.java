package dev.sprig.kernels.pool;

/**
 * 2-D pooling over NCHW planes, float32, as ONNX MaxPool, AveragePool, GlobalMaxPool and
 * GlobalAveragePool define it. One implementation per backend ({@code KernelBackend#pool()}): the
 * reference loops ({@link dev.sprig.kernels.reference.Pooling}) and a Vector API twin.
 *
 * <p>Every method checks its ranges and arguments before writing (no half-written output) and never
 * allocates. Max pooling is bitwise identical across backends (max is order-free; NaN wins, +0 is
 * above -0, as {@link Math#max}); averages sum the window in the same order (rows, then columns) but
 * may round differently when a backend reorders the global sums.
 */
public interface PoolKernels {

    /**
     * {@code y = max over the window}, padding excluded (a window of padding only gives -Inf);
     * NaN in a window gives NaN.
     */
    void maxPool(PoolGeometry g, float[] x, int xOff, float[] y, int yOff);

    /**
     * {@code y = sum over the window / count}: with {@code countIncludePad} the count is the number
     * of window taps inside the explicitly padded input (taps that ceil mode pushes past the end
     * padding are never counted), otherwise the number of taps on input elements.
     */
    void averagePool(PoolGeometry g, boolean countIncludePad, float[] x, int xOff, float[] y, int yOff);

    /** {@code y[yOff + p] = max of plane p} for p in [0, planes), plane p at {@code x[xOff + p*planeSize]}. */
    void globalMaxPool(int planes, int planeSize, float[] x, int xOff, float[] y, int yOff);

    /** {@code y[yOff + p] = mean of plane p} for p in [0, planes). */
    void globalAveragePool(int planes, int planeSize, float[] x, int xOff, float[] y, int yOff);
}
