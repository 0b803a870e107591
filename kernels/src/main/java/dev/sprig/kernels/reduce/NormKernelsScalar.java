package dev.sprig.kernels.reduce;

import dev.sprig.kernels.reference.Normalization;

/** The reference normalisation loops ({@link Normalization}) behind the {@link NormKernels} interface. */
public final class NormKernelsScalar implements NormKernels {

    /** The one instance; it has no state. */
    public static final NormKernelsScalar INSTANCE = new NormKernelsScalar();

    private NormKernelsScalar() {
    }

    @Override
    public void softmax(int rows, int cols, float[] x, int xOff, float[] y, int yOff) {
        Normalization.softmax(rows, cols, x, xOff, y, yOff);
    }

    @Override
    public void logSoftmax(int rows, int cols, float[] x, int xOff, float[] y, int yOff) {
        Normalization.logSoftmax(rows, cols, x, xOff, y, yOff);
    }

    @Override
    public void layerNorm(int rows, int cols, float epsilon, float[] x, int xOff, float[] scale, int scaleOff,
                          float[] bias, int biasOff, float[] y, int yOff) {
        Normalization.layerNorm(rows, cols, epsilon, x, xOff, scale, scaleOff, bias, biasOff, y, yOff);
    }
}
