package dev.sprig.kernels.sparse;

import dev.sprig.kernels.KernelProvider;
import dev.sprig.kernels.Ranges;
import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.gemm.Epilogue;

/**
 * Sparse weights times dense activations, for every {@link SparseMatrix} format, on the backend's
 * {@link SpmmKernels}. Two products:
 * <ul>
 *   <li>{@link #sparseTimesDense}: {@code C[m x n] = act(W[m x k] * X[k x n] + bias)}, vectorised
 *       along n: a 1x1 convolution in NCHW (n = pixels) or any product with many columns;</li>
 *   <li>{@link #denseTimesSparseTransposed}: {@code Y[batch x m] = act(X[batch x k] * Wt^T + bias)}
 *       where {@code Wt} (m x k) holds a MatMul/Gemm weight transposed (build it with the format's
 *       {@code fromDenseTransposed}). Below {@link #TRANSPOSE_MIN_BATCH} rows every output is a
 *       sparse dot product; from there X is transposed into a scratch buffer and the first product
 *       runs vectorised along the batch, then Y is transposed back.</li>
 * </ul>
 * Zero weights are skipped, so the result equals the dense product on the zero-filled weights for
 * finite activations (an infinite or NaN activation meets a skipped zero as {@code 0 * inf = NaN}
 * in the dense product only). Work is split by rows of W (and strips of columns); every element's
 * arithmetic is independent of the split, so results are bitwise identical for any thread count.
 */
public final class Spmm {

    /**
     * Smallest batch that takes the transposed, vectorised-along-batch path: one full 256-bit vector
     * of batch rows. Measured (768x3072 CSR at 90%, one thread, AVX2 via -XX:UseAVX=2, loaded 2-core
     * VM): batch 2/4/6 ran 418/732/1335 us as sparse dots and 522/1007/1653 us transposed (all
     * scalar tails below 8 lanes); batch 8 ran 1535 us as dots and 320 us transposed.
     */
    public static final int TRANSPOSE_MIN_BATCH = 8;

    /** Flops below which another thread is not worth waking (as {@link dev.sprig.kernels.gemm.Sgemm}). */
    private static final double MIN_FLOPS_PER_THREAD = 8e6;
    /** Columns of X a task streams: with k rows they stay in the 1 MiB L2 while W's rows pass. */
    private static final int X_STRIP_FLOATS = 65536;

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[][]{new float[0], new float[0]});

    private Spmm() {
    }

    /**
     * {@code c[cOff + i*ldc + j] = act(sum_p W[i][p] * x[xOff + p*ldx + j] + bias)} for i in [0, m),
     * j in [0, n); the epilogue's bias runs per row (per output channel) or per column.
     *
     * @throws IndexOutOfBoundsException when X, C or the bias does not fit its array
     */
    public static void sparseTimesDense(SparseMatrix w, float[] x, int xOff, int ldx, int n,
                                        float[] c, int cOff, int ldc, Epilogue ep, ThreadPool pool) {
        int m = w.rows();
        int k = w.cols();
        Ranges.checkMatrix("X", xOff, k, n, ldx, x.length);
        Ranges.checkMatrix("C", cOff, m, n, ldc, c.length);
        checkEpilogue(ep, m, n);
        if (m == 0 || n == 0) {
            return;
        }
        SpmmKernels kernels = KernelProvider.backend().spmm();
        int threads = usefulThreads(pool, 2.0 * storedWeights(w) * n);
        int colsPer = Math.min(n, Math.max(64, X_STRIP_FLOATS / Math.max(1, k) / 64 * 64));
        int colTasks = Math.ceilDiv(n, colsPer);
        int rowTasks = threads == 1 ? 1 : Math.min(m, Math.max(1, Math.ceilDiv(threads * 4, colTasks)));
        int rowsPer = Math.ceilDiv(m, rowTasks);
        int rowTasksFinal = Math.ceilDiv(m, rowsPer);
        pool.parallelFor(rowTasksFinal * colTasks, threads, task -> {
            int r0 = (task / colTasks) * rowsPer;
            int j0 = (task % colTasks) * colsPer;
            rows(kernels, w, r0, Math.min(m, r0 + rowsPer), x, xOff, ldx, j0, Math.min(n, j0 + colsPer),
                    c, cOff, ldc, ep);
        });
    }

    /**
     * {@code y[yOff + b*ldy + i] = act(sum_p x[xOff + b*ldx + p] * Wt[i][p] + bias)} for b in
     * [0, batch), i in [0, m): X times the weight whose transpose {@code wt} holds (m x k); the
     * epilogue's bias runs per column of Y (per output feature, a Gemm's C) or per row.
     *
     * @throws IndexOutOfBoundsException when X, Y or the bias does not fit its array
     */
    public static void denseTimesSparseTransposed(float[] x, int xOff, int ldx, int batch, SparseMatrix wt,
                                                  float[] y, int yOff, int ldy, Epilogue ep, ThreadPool pool) {
        int m = wt.rows();
        int k = wt.cols();
        Ranges.checkMatrix("X", xOff, batch, k, ldx, x.length);
        Ranges.checkMatrix("Y", yOff, batch, m, ldy, y.length);
        checkEpilogue(ep, batch, m);
        if (m == 0 || batch == 0) {
            return;
        }
        SpmmKernels kernels = KernelProvider.backend().spmm();
        int threads = usefulThreads(pool, 2.0 * storedWeights(wt) * batch);
        int tasks = threads == 1 ? 1 : Math.min(m, threads * 8);
        int rowsPer = Math.ceilDiv(m, tasks);
        int taskCount = Math.ceilDiv(m, rowsPer);
        if (batch < TRANSPOSE_MIN_BATCH) {
            pool.parallelFor(taskCount, threads, task -> {
                int r0 = task * rowsPer;
                dots(kernels, wt, r0, Math.min(m, r0 + rowsPer), x, xOff, ldx, batch, y, yOff, ldy, ep);
            });
            return;
        }
        float[][] scratch = SCRATCH.get();
        if (scratch[0].length < k * batch) {
            scratch[0] = new float[k * batch];
        }
        if (scratch[1].length < m * batch) {
            scratch[1] = new float[m * batch];
        }
        float[] xt = scratch[0];
        float[] yt = scratch[1];
        for (int b = 0; b < batch; b++) {
            for (int p = 0; p < k; p++) {
                xt[p * batch + b] = x[xOff + b * ldx + p];
            }
        }
        // Y^T = Wt * X^T: Y's per-column bias is a per-row bias of Y^T
        Epilogue tep = transposed(ep);
        pool.parallelFor(taskCount, threads, task -> {
            int r0 = task * rowsPer;
            int r1 = Math.min(m, r0 + rowsPer);
            rows(kernels, wt, r0, r1, xt, 0, batch, 0, batch, yt, 0, batch, tep);
            for (int b = 0; b < batch; b++) {
                for (int r = r0; r < r1; r++) {
                    y[yOff + b * ldy + r] = yt[r * batch + b];
                }
            }
        });
    }

    private static void rows(SpmmKernels kk, SparseMatrix w, int r0, int r1, float[] x, int xOff, int ldx,
                             int j0, int j1, float[] c, int cOff, int ldc, Epilogue ep) {
        switch (w) {
            case CsrMatrix csr -> kk.rows(csr, r0, r1, x, xOff, ldx, j0, j1, c, cOff, ldc, ep);
            case BlockCsrMatrix bsr -> kk.rows(bsr, r0, r1, x, xOff, ldx, j0, j1, c, cOff, ldc, ep);
            case Compressed2to4Matrix nm -> kk.rows(nm, r0, r1, x, xOff, ldx, j0, j1, c, cOff, ldc, ep);
        }
    }

    private static void dots(SpmmKernels kk, SparseMatrix w, int r0, int r1, float[] x, int xOff, int ldx,
                             int batch, float[] y, int yOff, int ldy, Epilogue ep) {
        switch (w) {
            case CsrMatrix csr -> kk.dots(csr, r0, r1, x, xOff, ldx, batch, y, yOff, ldy, ep);
            case BlockCsrMatrix bsr -> kk.dots(bsr, r0, r1, x, xOff, ldx, batch, y, yOff, ldy, ep);
            case Compressed2to4Matrix nm -> kk.dots(nm, r0, r1, x, xOff, ldx, batch, y, yOff, ldy, ep);
        }
    }

    /** The same epilogue for the transposed result: bias per row becomes bias per column and back. */
    static Epilogue transposed(Epilogue ep) {
        Epilogue t = switch (ep.bias()) {
            case NONE -> Epilogue.NONE;
            case PER_ROW -> Epilogue.biasPerColumn(ep.biasData(), ep.biasOffset());
            case PER_COLUMN -> Epilogue.biasPerRow(ep.biasData(), ep.biasOffset());
        };
        return switch (ep.activation()) {
            case NONE -> t;
            case RELU -> t.relu();
            case CLIP -> t.clip(ep.min(), ep.max());
        };
    }

    /** Weights the kernels multiply: nonzeros for CSR, whole blocks or both slots otherwise. */
    private static long storedWeights(SparseMatrix w) {
        return switch (w) {
            case CsrMatrix csr -> csr.nonzeros();
            case BlockCsrMatrix bsr -> 4L * bsr.blocks();
            case Compressed2to4Matrix nm -> 2L * nm.rows() * nm.groups();
        };
    }

    private static int usefulThreads(ThreadPool pool, double flops) {
        return (int) Math.max(1, Math.min(pool.threads(), flops / MIN_FLOPS_PER_THREAD));
    }

    private static void checkEpilogue(Epilogue ep, int rows, int cols) {
        switch (ep.bias()) {
            case PER_ROW -> Ranges.check("bias (per row)", ep.biasOffset(), rows, ep.biasData().length);
            case PER_COLUMN -> Ranges.check("bias (per column)", ep.biasOffset(), cols, ep.biasData().length);
            case NONE -> { }
        }
    }
}
