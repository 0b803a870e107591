package dev.sprig.kernels.gemm;

/**
 * The register-blocked heart of {@link Sgemm}: computes one {@code mr x nr} tile of C from packed
 * panels of A and B. One implementation per backend ({@code KernelBackend#sgemm()}); packing,
 * cache blocking and threading live in the driver.
 *
 * <p>Packed layouts: an A micro-panel holds {@code kc} columns of {@code mr} rows, k-major
 * ({@code a[aOff + p*mr + r]}); a B micro-panel holds {@code kc} rows of {@code nr} columns
 * ({@code b[bOff + p*nr + j]}). Rows and columns past the matrix edge are zero in the panels and
 * are never stored.
 *
 * <p>Every element is reduced the same way wherever its tile sits (a chain of fused multiply-adds
 * over p), so the result does not depend on the tiling of the work between threads.
 */
public interface SgemmMicrokernel {

    /** Rows of the tile. */
    int mr();

    /** Columns of the tile. */
    int nr();

    /** Name with the tile shape, e.g. {@code SgemmMicrokernel6x2v(6x16)}. */
    String name();

    /**
     * Tile: {@code acc = sum_p A[r][p] * B[p][j]} over the kc-long panels, then, for the
     * {@code rows x cols} valid part: when {@code accumulate}, {@code C += alpha * acc} (C holds the
     * partial sums of earlier k blocks), otherwise {@code C = alpha * acc + beta * C} (C not read
     * when beta is 0); finally the epilogue when it is non-null (last k block only), with
     * {@code (row0 + r, col0 + j)} the element's position in the whole result.
     */
    void tile(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc,
              int rows, int cols, float alpha, float beta, boolean accumulate,
              Epilogue epilogue, int row0, int col0);

    /**
     * Small-M product against one packed B panel over the whole k: for {@code m <= 4} rows of A
     * (row i at {@code a[aOff + i*lda]}), {@code C[i][j] = epilogue(alpha * sum_p A[i][p] * B[p][j] + beta * C[i][j])}
     * for the {@code cols} valid columns of the panel. Streams the panel once: the batch-1 path.
     */
    void panelRows(int m, int k, float[] a, int aOff, int lda, float[] b, int bOff,
                   float[] c, int cOff, int ldc, int cols, float alpha, float beta,
                   Epilogue epilogue, int col0);
}
