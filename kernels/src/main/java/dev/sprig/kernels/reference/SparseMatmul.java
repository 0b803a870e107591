package dev.sprig.kernels.reference;

import dev.sprig.kernels.gemm.Epilogue;
import dev.sprig.kernels.sparse.BlockCsrMatrix;
import dev.sprig.kernels.sparse.Compressed2to4Matrix;
import dev.sprig.kernels.sparse.CsrMatrix;

/**
 * Reference sparse-times-dense products: the plain loops over each format's stored weights, summed
 * in storage order. {@code rows}: {@code C[r][j] = ep(sum_p W[r][p] * X[p][j])};
 * {@code dots}: {@code Y[b][r] = ep(sum_p W[r][p] * X[b][p])} (see
 * {@link dev.sprig.kernels.sparse.SpmmKernels}). The scalar backend runs these; the tests compare
 * every format against the dense {@link Sgemm} on the same zero-filled weights.
 */
public final class SparseMatmul {

    private SparseMatmul() {
    }

    /** {@code rows} over a CSR matrix, rows [r0, r1), columns [j0, j1) of C. */
    public static void rows(CsrMatrix w, int r0, int r1, float[] x, int xOff, int ldx, int j0, int j1,
                            float[] c, int cOff, int ldc, Epilogue ep) {
        int[] ptr = w.rowPtr();
        int[] col = w.colIdx();
        float[] val = w.values();
        for (int r = r0; r < r1; r++) {
            for (int j = j0; j < j1; j++) {
                float sum = 0f;
                for (int q = ptr[r]; q < ptr[r + 1]; q++) {
                    sum += val[q] * x[xOff + col[q] * ldx + j];
                }
                c[cOff + r * ldc + j] = ep.apply(sum, r, j);
            }
        }
    }

    /** {@code dots} over a CSR matrix, rows [r0, r1) of W for every batch row. */
    public static void dots(CsrMatrix w, int r0, int r1, float[] x, int xOff, int ldx, int batch,
                            float[] y, int yOff, int ldy, Epilogue ep) {
        int[] ptr = w.rowPtr();
        int[] col = w.colIdx();
        float[] val = w.values();
        for (int b = 0; b < batch; b++) {
            for (int r = r0; r < r1; r++) {
                float sum = 0f;
                for (int q = ptr[r]; q < ptr[r + 1]; q++) {
                    sum += val[q] * x[xOff + b * ldx + col[q]];
                }
                y[yOff + b * ldy + r] = ep.apply(sum, b, r);
            }
        }
    }

    /** {@code rows} over a 1x4 block-CSR matrix. */
    public static void rows(BlockCsrMatrix w, int r0, int r1, float[] x, int xOff, int ldx, int j0, int j1,
                            float[] c, int cOff, int ldc, Epilogue ep) {
        int k = w.cols();
        int[] ptr = w.blockPtr();
        int[] bc = w.blockCol();
        float[] val = w.values();
        for (int r = r0; r < r1; r++) {
            for (int j = j0; j < j1; j++) {
                float sum = 0f;
                for (int q = ptr[r]; q < ptr[r + 1]; q++) {
                    // the last block of a row may reach past k: its padding is not a column
                    for (int t = 0; t < BlockCsrMatrix.BLOCK && bc[q] + t < k; t++) {
                        sum += val[q * BlockCsrMatrix.BLOCK + t] * x[xOff + (bc[q] + t) * ldx + j];
                    }
                }
                c[cOff + r * ldc + j] = ep.apply(sum, r, j);
            }
        }
    }

    /** {@code dots} over a 1x4 block-CSR matrix. */
    public static void dots(BlockCsrMatrix w, int r0, int r1, float[] x, int xOff, int ldx, int batch,
                            float[] y, int yOff, int ldy, Epilogue ep) {
        int k = w.cols();
        int[] ptr = w.blockPtr();
        int[] bc = w.blockCol();
        float[] val = w.values();
        for (int b = 0; b < batch; b++) {
            for (int r = r0; r < r1; r++) {
                float sum = 0f;
                for (int q = ptr[r]; q < ptr[r + 1]; q++) {
                    for (int t = 0; t < BlockCsrMatrix.BLOCK && bc[q] + t < k; t++) {
                        sum += val[q * BlockCsrMatrix.BLOCK + t] * x[xOff + b * ldx + bc[q] + t];
                    }
                }
                y[yOff + b * ldy + r] = ep.apply(sum, b, r);
            }
        }
    }

    /** {@code rows} over a 2:4 compressed matrix. */
    public static void rows(Compressed2to4Matrix w, int r0, int r1, float[] x, int xOff, int ldx, int j0, int j1,
                            float[] c, int cOff, int ldc, Epilogue ep) {
        int groups = w.groups();
        float[] val = w.values();
        for (int r = r0; r < r1; r++) {
            for (int j = j0; j < j1; j++) {
                float sum = 0f;
                for (int g = 0; g < groups; g++) {
                    for (int s = 0; s < 2; s++) {
                        int p = g * Compressed2to4Matrix.GROUP + w.position(r, g, s);
                        sum += val[2 * (r * groups + g) + s] * x[xOff + p * ldx + j];
                    }
                }
                c[cOff + r * ldc + j] = ep.apply(sum, r, j);
            }
        }
    }

    /** {@code dots} over a 2:4 compressed matrix. */
    public static void dots(Compressed2to4Matrix w, int r0, int r1, float[] x, int xOff, int ldx, int batch,
                            float[] y, int yOff, int ldy, Epilogue ep) {
        int groups = w.groups();
        float[] val = w.values();
        for (int b = 0; b < batch; b++) {
            for (int r = r0; r < r1; r++) {
                float sum = 0f;
                for (int g = 0; g < groups; g++) {
                    for (int s = 0; s < 2; s++) {
                        int p = g * Compressed2to4Matrix.GROUP + w.position(r, g, s);
                        sum += val[2 * (r * groups + g) + s] * x[xOff + b * ldx + p];
                    }
                }
                y[yOff + b * ldy + r] = ep.apply(sum, b, r);
            }
        }
    }
}
