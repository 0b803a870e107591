package dev.sprig.kernels.sparse;

import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.gemm.Epilogue;

/**
 * Sparse x dense products with weights in 1x4 block-CSR (block sparsity): the typed entry points of {@link Spmm}
 * for {@link BlockCsrMatrix}. See {@link Spmm} for the two product shapes, threading and exactness.
 */
public final class SpmmBlock1x4 {

    private SpmmBlock1x4() {
    }

    /** {@code C[m x n] = act(W * X + bias)}, vectorised along n (1x1 conv, n = pixels); see {@link Spmm#sparseTimesDense}. */
    public static void sparseTimesDense(BlockCsrMatrix w, float[] x, int xOff, int ldx, int n,
                                        float[] c, int cOff, int ldc, Epilogue ep, ThreadPool pool) {
        Spmm.sparseTimesDense(w, x, xOff, ldx, n, c, cOff, ldc, ep, pool);
    }

    /** {@code Y[batch x m] = act(X * Wt^T + bias)} (MatMul/Gemm, Wt the transposed weight); see {@link Spmm#denseTimesSparseTransposed}. */
    public static void denseTimesSparseTransposed(float[] x, int xOff, int ldx, int batch, BlockCsrMatrix wt,
                                                  float[] y, int yOff, int ldy, Epilogue ep, ThreadPool pool) {
        Spmm.denseTimesSparseTransposed(x, xOff, ldx, batch, wt, y, yOff, ldy, ep, pool);
    }
}
