package dev.sprig.kernels.reference;

import dev.sprig.kernels.pool.PoolGeometry;

/**
 * Reference pooling over NCHW planes: the plain window loops, ONNX semantics (see
 * {@link PoolGeometry} for the output size and {@link dev.sprig.kernels.pool.PoolKernels} for the
 * contract). Window taps are visited row by row, left to right.
 */
public final class Pooling {

    private Pooling() {
    }

    /** MaxPool: the largest input in each window ({@link Math#max}: NaN wins); -Inf for a window of padding only. */
    public static void maxPool(PoolGeometry g, float[] x, int xOff, float[] y, int yOff) {
        g.checkArrays("maxPool", x, xOff, y, yOff);
        int h = g.height();
        int w = g.width();
        int oh = g.outHeight();
        int ow = g.outWidth();
        for (int p = 0; p < g.planes(); p++) {
            int xp = xOff + p * h * w;
            int yp = yOff + p * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    float max = Float.NEGATIVE_INFINITY;
                    for (int ky = 0; ky < g.kernelH(); ky++) {
                        int iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
                        if (iy < 0 || iy >= h) {
                            continue; // padding never wins
                        }
                        for (int kx = 0; kx < g.kernelW(); kx++) {
                            int ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
                            if (ix >= 0 && ix < w) {
                                max = Math.max(max, x[xp + iy * w + ix]);
                            }
                        }
                    }
                    y[yp + oy * ow + ox] = max;
                }
            }
        }
    }

    /**
     * AveragePool: the sum of the window's inputs divided by the count of taps on the input or, with
     * {@code countIncludePad}, on the input and its explicit pads (padding adds zeros to the sum).
     */
    public static void averagePool(PoolGeometry g, boolean countIncludePad, float[] x, int xOff, float[] y, int yOff) {
        g.checkArrays("averagePool", x, xOff, y, yOff);
        int h = g.height();
        int w = g.width();
        int oh = g.outHeight();
        int ow = g.outWidth();
        for (int p = 0; p < g.planes(); p++) {
            int xp = xOff + p * h * w;
            int yp = yOff + p * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    float sum = 0f;
                    int count = 0;
                    for (int ky = 0; ky < g.kernelH(); ky++) {
                        int iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
                        for (int kx = 0; kx < g.kernelW(); kx++) {
                            int ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
                            boolean inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
                            if (inside) {
                                sum += x[xp + iy * w + ix];
                            }
                            // taps past the explicit pads (ceil mode) are never counted
                            boolean inPadded = iy >= -g.padTop() && iy < h + g.padBottom()
                                    && ix >= -g.padLeft() && ix < w + g.padRight();
                            if (countIncludePad ? inPadded : inside) {
                                count++;
                            }
                        }
                    }
                    y[yp + oy * ow + ox] = sum / count;
                }
            }
        }
    }

    /** GlobalMaxPool: {@code y[yOff + p]} is the maximum of plane p ({@link Math#max} semantics). */
    public static void globalMaxPool(int planes, int planeSize, float[] x, int xOff, float[] y, int yOff) {
        PoolGeometry.checkGlobal("globalMaxPool", planes, planeSize, x, xOff, y, yOff);
        for (int p = 0; p < planes; p++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < planeSize; i++) {
                max = Math.max(max, x[xOff + p * planeSize + i]);
            }
            y[yOff + p] = max;
        }
    }

    /** GlobalAveragePool: {@code y[yOff + p]} is the mean of plane p, summed left to right. */
    public static void globalAveragePool(int planes, int planeSize, float[] x, int xOff, float[] y, int yOff) {
        PoolGeometry.checkGlobal("globalAveragePool", planes, planeSize, x, xOff, y, yOff);
        for (int p = 0; p < planes; p++) {
            float sum = 0f;
            for (int i = 0; i < planeSize; i++) {
                sum += x[xOff + p * planeSize + i];
            }
            y[yOff + p] = sum / planeSize;
        }
    }
}
