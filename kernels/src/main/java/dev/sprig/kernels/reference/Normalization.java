package dev.sprig.kernels.reference;

import dev.sprig.kernels.reduce.NormKernels;

/**
 * Reference Softmax, LogSoftmax and LayerNormalization over the last axis of a row-major
 * {@code rows x cols} matrix (contract in {@link NormKernels}): float arithmetic, sums left to right,
 * exponentials and logarithms rounded from {@link Math#exp} and {@link Math#log}.
 */
public final class Normalization {

    private Normalization() {
    }

    /** Softmax of every row: {@code e^(x - max) / sum}. */
    public static void softmax(int rows, int cols, float[] x, int xOff, float[] y, int yOff) {
        NormKernels.checkRows("softmax", rows, cols, x, xOff, y, yOff);
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * cols;
            int yr = yOff + r * cols;
            float max = Reductions.max(x, xr, cols);
            float sum = 0f;
            for (int i = 0; i < cols; i++) {
                float e = (float) Math.exp(x[xr + i] - max);
                y[yr + i] = e;
                sum += e;
            }
            for (int i = 0; i < cols; i++) {
                y[yr + i] = y[yr + i] / sum;
            }
        }
    }

    /** LogSoftmax of every row: {@code (x - max) - ln(sum(e^(x - max)))}. */
    public static void logSoftmax(int rows, int cols, float[] x, int xOff, float[] y, int yOff) {
        NormKernels.checkRows("logSoftmax", rows, cols, x, xOff, y, yOff);
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * cols;
            int yr = yOff + r * cols;
            float max = Reductions.max(x, xr, cols);
            float sum = 0f;
            for (int i = 0; i < cols; i++) {
                sum += (float) Math.exp(x[xr + i] - max);
            }
            float logSum = (float) Math.log(sum);
            for (int i = 0; i < cols; i++) {
                y[yr + i] = (x[xr + i] - max) - logSum;
            }
        }
    }

    /** LayerNormalization of every row; mean first, then the variance of {@code x - mean} (two passes). */
    public static void layerNorm(int rows, int cols, float epsilon, float[] x, int xOff, float[] scale, int scaleOff,
                                 float[] bias, int biasOff, float[] y, int yOff) {
        NormKernels.checkRows("layerNorm", rows, cols, x, xOff, y, yOff);
        NormKernels.checkLayerNorm(cols, epsilon, scale, scaleOff, bias, biasOff);
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * cols;
            int yr = yOff + r * cols;
            float mean = Reductions.sum(x, xr, cols) / cols;
            float squares = 0f;
            for (int i = 0; i < cols; i++) {
                float d = x[xr + i] - mean;
                squares += d * d;
            }
            float variance = squares / cols;
            float invStd = (float) (1.0 / Math.sqrt((double) variance + epsilon));
            for (int i = 0; i < cols; i++) {
                float v = (x[xr + i] - mean) * invStd;
                if (scale != null) {
                    v *= scale[scaleOff + i];
                }
                if (bias != null) {
                    v += bias[biasOff + i];
                }
                y[yr + i] = v;
            }
        }
    }
}
