package dev.sprig.kernels.sparse;

import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.gemm.Epilogue;

/**
 * Sparse x dense products with weights in CSR (unstructured sparsity): the typed entry points of {@link Spmm}
 * for {@link CsrMatrix}. See {@link Spmm} for the two product shapes, threading and exactness.
 */
public final class SpmmCsr {

    private SpmmCsr() {
    }

    /** {@code C[m x n] = act(W * X + bias)}, vectorised along n (1x1 conv, n = pixels); see {@link Spmm#sparseTimesDense}. */
    public static void sparseTimesDense(CsrMatrix w, float[] x, int xOff, int ldx, int n,
                                        float[] c, int cOff, int ldc, Epilogue ep, ThreadPool pool) {
        Spmm.sparseTimesDense(w, x, xOff, ldx, n, c, cOff, ldc, ep, pool);
    }

    /** {@code Y[batch x m] = act(X * Wt^T + bias)} (MatMul/Gemm, Wt the transposed weight); see {@link Spmm#denseTimesSparseTransposed}. */
    public static void denseTimesSparseTransposed(float[] x, int xOff, int ldx, int batch, CsrMatrix wt,
                                                  float[] y, int yOff, int ldy, Epilogue ep, ThreadPool pool) {
        Spmm.denseTimesSparseTransposed(x, xOff, ldx, batch, wt, y, yOff, ldy, ep, pool);
    }
}
