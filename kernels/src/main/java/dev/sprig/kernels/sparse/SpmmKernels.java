package dev.sprig.kernels.sparse;

import dev.sprig.kernels.gemm.Epilogue;

/**
 * The sparse-times-dense inner loops of one backend, over ranges of rows of a sparse matrix W
 * (m x k); {@link Spmm} splits the work and calls them. Two shapes of product:
 * <ul>
 *   <li>{@code rows}: {@code c[cOff + r*ldc + j] = ep.apply(sum_p W[r][p] * x[xOff + p*ldx + j], r, j)}
 *       for r in [r0, r1), j in [j0, j1): W times a dense k x n X, vectorised along j (XNNPACK-style,
 *       a 1x1 conv where j runs over pixels);</li>
 *   <li>{@code dots}: {@code y[yOff + b*ldy + r] = ep.apply(sum_p W[r][p] * x[xOff + b*ldx + p], b, r)}
 *       for b in [0, batch), r in [r0, r1): every output a sparse dot product of a row of W with a
 *       row of X (MatMul at small batch, W holding the transposed weight).</li>
 * </ul>
 * Implementations read only the columns they need and never allocate; every element is computed
 * by the same chain of operations whatever the ranges, so any split gives bitwise identical results.
 * Callers check the ranges ({@link Spmm} does).
 */
public interface SpmmKernels {

    /** Short name for logs. */
    String name();

    /** {@code rows} product for a CSR matrix. */
    void rows(CsrMatrix w, int r0, int r1, float[] x, int xOff, int ldx, int j0, int j1,
              float[] c, int cOff, int ldc, Epilogue ep);

    /** {@code dots} product for a CSR matrix. */
    void dots(CsrMatrix w, int r0, int r1, float[] x, int xOff, int ldx, int batch,
              float[] y, int yOff, int ldy, Epilogue ep);

    /** {@code rows} product for a 1x4 block-CSR matrix. */
    void rows(BlockCsrMatrix w, int r0, int r1, float[] x, int xOff, int ldx, int j0, int j1,
              float[] c, int cOff, int ldc, Epilogue ep);

    /** {@code dots} product for a 1x4 block-CSR matrix. */
    void dots(BlockCsrMatrix w, int r0, int r1, float[] x, int xOff, int ldx, int batch,
              float[] y, int yOff, int ldy, Epilogue ep);

    /** {@code rows} product for a 2:4 compressed matrix. */
    void rows(Compressed2to4Matrix w, int r0, int r1, float[] x, int xOff, int ldx, int j0, int j1,
              float[] c, int cOff, int ldc, Epilogue ep);

    /** {@code dots} product for a 2:4 compressed matrix. */
    void dots(Compressed2to4Matrix w, int r0, int r1, float[] x, int xOff, int ldx, int batch,
              float[] y, int yOff, int ldy, Epilogue ep);
}
