package dev.sprig.kernels.gemm;

import dev.sprig.kernels.KernelProvider;
import dev.sprig.kernels.Ranges;
import dev.sprig.kernels.ThreadPool;

/**
 * Single-precision GEMM, {@code C = act(alpha * op(A) * op(B) + beta * C + bias)}, row-major,
 * with the Goto/BLIS structure: B packed into column panels ({@link PackedMatrix}, once per call
 * or once per weight), A packed into {@code MC x KC} blocks of row micro-panels, and the backend's
 * {@link SgemmMicrokernel} computing {@code mr x nr} tiles from them.
 *
 * <p>Blocking follows the tile: a B micro-panel (kc x nr floats) is 16 KiB, half the 32 KiB L1,
 * so it stays there while the tile walks down the A block (kc = 256 for the 6x16 tile, 128 for
 * 2x32); the A block (mc x kc) is 144 KiB and stays in the 1 MiB L2 with the C block it updates.
 *
 * <p>Threads: C is split into row blocks (and column blocks when there are too few rows), one
 * task each; every element is computed by the same chain of operations whatever the split, so
 * the result is bitwise identical for any thread count. Work too small to pay for waking a worker
 * runs on fewer threads.
 *
 * <p>M of at most 4 (batch-1 inference) takes a small-M path: with a packed B it streams each B
 * panel once; with an unpacked B (A not transposed) it streams B where it lies instead of copying
 * it: rows of B via axpy, or, with B transposed, dot products of contiguous rows.
 *
 * <p>When beta is 0, C is not read (NaN in C does not propagate), as BLAS specifies.
 */
public final class Sgemm {

    /** Floats of a B micro-panel: 16 KiB, half of L1. */
    private static final int B_PANEL_FLOATS = 4096;
    /** Floats of an A block: 144 KiB of the 1 MiB L2. */
    private static final int A_BLOCK_FLOATS = 36864;
    /**
     * GEMM work below which another thread is not worth waking: about 100 us at 80 GFLOP/s (with
     * 2e6, the 128^3 product still ran slower on 2 threads than on 1).
     */
    private static final double MIN_FLOPS_PER_THREAD = 8e6;
    /** GEMV weight bytes below which another thread is not worth waking: about 100 us of streaming. */
    static final double MIN_BYTES_PER_THREAD = 3e6;
    /** Largest M that takes the small-M (GEMV) path. */
    static final int SMALL_M = 4;

    private static final ThreadLocal<float[]> A_BLOCK = ThreadLocal.withInitial(() -> new float[0]);

    private Sgemm() {
    }

    /** Single-threaded product with no epilogue. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                Epilogue.NONE, ThreadPool.SERIAL);
    }

    /**
     * The full product. op(A) is m x k: A is {@code a[aOff + i*lda + p]}, or with {@code transA}
     * {@code a[aOff + p*lda + i]}; op(B) is k x n likewise; C is {@code c[cOff + i*ldc + j]}.
     *
     * @throws IllegalArgumentException for negative dimensions or leading dimensions shorter than a row
     * @throws IndexOutOfBoundsException when an operand does not fit its array
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc, Epilogue epilogue, ThreadPool pool) {
        checkA(transA, m, k, a, aOff, lda);
        if (transB) {
            Ranges.checkMatrix("B (transposed)", bOff, n, k, ldb, b.length);
        } else {
            Ranges.checkMatrix("B", bOff, k, n, ldb, b.length);
        }
        Ranges.checkMatrix("C", cOff, m, n, ldc, c.length);
        epilogue.checkFor(m, n);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            scaleOnly(m, n, beta, c, cOff, ldc, epilogue);
            return;
        }
        if (m <= SMALL_M && !transA) {
            // batch 1 against a B that is not packed: stream B as it lies rather than copy it
            smallMUnpacked(transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, epilogue, pool);
            return;
        }
        SgemmMicrokernel kernel = KernelProvider.backend().sgemm();
        multiply(kernel, transA, m, alpha, a, aOff, lda, null,
                PackedMatrix.pack(transB, k, n, b, bOff, ldb, kernel.nr(), pool), beta, c, cOff, ldc, epilogue, pool);
    }

    /**
     * The product with a pre-packed B ({@link PackedMatrix#pack}): {@code C = act(alpha * op(A) * B + beta * C + bias)},
     * op(A) m x k where k = {@code b.k()}.
     */
    public static void sgemm(boolean transA, int m, float alpha, float[] a, int aOff, int lda, PackedMatrix b,
                             float beta, float[] c, int cOff, int ldc, Epilogue epilogue, ThreadPool pool) {
        int k = b.k();
        int n = b.n();
        checkA(transA, m, k, a, aOff, lda);
        Ranges.checkMatrix("C", cOff, m, n, ldc, c.length);
        epilogue.checkFor(m, n);
        SgemmMicrokernel kernel = KernelProvider.backend().sgemm();
        sgemm(kernel, transA, m, alpha, a, aOff, lda, b, beta, c, cOff, ldc, epilogue, pool);
    }

    /** The pre-packed product on a given microkernel (the tester runs every tile shape). */
    static void sgemm(SgemmMicrokernel kernel, boolean transA, int m, float alpha, float[] a, int aOff, int lda,
                      PackedMatrix b, float beta, float[] c, int cOff, int ldc, Epilogue epilogue, ThreadPool pool) {
        int k = b.k();
        int n = b.n();
        checkA(transA, m, k, a, aOff, lda);
        Ranges.checkMatrix("C", cOff, m, n, ldc, c.length);
        epilogue.checkFor(m, n);
        if (b.nr() != kernel.nr()) {
            throw new IllegalArgumentException(b + " was packed for panels of " + b.nr()
                    + " but the backend's microkernel " + kernel.name() + " needs " + kernel.nr());
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            scaleOnly(m, n, beta, c, cOff, ldc, epilogue);
            return;
        }
        multiply(kernel, transA, m, alpha, a, aOff, lda, null, b, beta, c, cOff, ldc, epilogue, pool);
    }

    /**
     * The product of two pre-packed operands, {@code C = act(alpha * A * B + beta * C + bias)}: A
     * m x k ({@link PackedA}, the weights of a convolution), B k x n.
     *
     * @throws IllegalArgumentException when the inner dimensions differ or A was packed for another tile
     */
    public static void sgemm(PackedA a, float alpha, PackedMatrix b, float beta, float[] c, int cOff, int ldc,
                             Epilogue epilogue, ThreadPool pool) {
        sgemm(KernelProvider.backend().sgemm(), a, alpha, b, beta, c, cOff, ldc, epilogue, pool);
    }

    /** The doubly pre-packed product on a given microkernel. */
    static void sgemm(SgemmMicrokernel kernel, PackedA a, float alpha, PackedMatrix b, float beta, float[] c, int cOff,
                      int ldc, Epilogue epilogue, ThreadPool pool) {
        int m = a.m();
        int k = b.k();
        int n = b.n();
        if (a.k() != k) {
            throw new IllegalArgumentException("inner dimensions differ: " + a + " times " + b);
        }
        if (a.mr() != 0 && a.mr() != kernel.mr() || b.nr() != kernel.nr()) {
            throw new IllegalArgumentException(a + " and " + b + " were packed for another tile than "
                    + kernel.name());
        }
        Ranges.checkMatrix("C", cOff, m, n, ldc, c.length);
        epilogue.checkFor(m, n);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            scaleOnly(m, n, beta, c, cOff, ldc, epilogue);
            return;
        }
        if (a.mr() == 0) {
            // kept row-major: the small-M path reads its rows
            multiply(kernel, false, m, alpha, a.data(), 0, k, null, b, beta, c, cOff, ldc, epilogue, pool);
        } else {
            multiply(kernel, false, m, alpha, null, 0, 0, a, b, beta, c, cOff, ldc, epilogue, pool);
        }
    }

    /** Depth of a k block for this tile: the B micro-panel fills half of L1. */
    static int kc(SgemmMicrokernel kernel) {
        return Math.max(64, B_PANEL_FLOATS / kernel.nr());
    }

    /** Rows of an A block for this tile: a multiple of mr, the block about 144 KiB. */
    static int mc(SgemmMicrokernel kernel) {
        int mr = kernel.mr();
        return Math.max(mr, A_BLOCK_FLOATS / kc(kernel) / mr * mr);
    }

    /** A is {@code a} (op(A) at aOff, lda) unless {@code packedA} is given, then A is that. */
    private static void multiply(SgemmMicrokernel kernel, boolean transA, int m, float alpha, float[] a, int aOff,
                                 int lda, PackedA packedA, PackedMatrix b, float beta, float[] c, int cOff, int ldc,
                                 Epilogue epilogue, ThreadPool pool) {
        if (m <= SMALL_M && packedA == null) {
            smallM(kernel, transA, m, alpha, a, aOff, lda, b, beta, c, cOff, ldc, epilogue, pool);
            return;
        }
        int n = b.n();
        int mr = kernel.mr();
        int nr = kernel.nr();
        int threads = usefulThreads(pool, 2.0 * m * n * b.k(), MIN_FLOPS_PER_THREAD);
        // row blocks: at most MC rows, a multiple of mr, and a multiple of the thread count when
        // there are enough rows, so that dynamic scheduling ends with the threads in step
        int mChunks = Math.ceilDiv(m, mc(kernel));
        if (threads > 1) {
            mChunks = Math.min(Math.ceilDiv(m, mr), Math.ceilDiv(mChunks, threads) * threads);
        }
        int rowsPer = roundUp(Math.ceilDiv(m, mChunks), mr);
        int mTasks = Math.ceilDiv(m, rowsPer);
        int nTasks = 1;
        if (mTasks < threads) {
            nTasks = Math.min(Math.ceilDiv(n, nr), Math.ceilDiv(threads, mTasks));
        }
        int colsPer = roundUp(Math.ceilDiv(n, nTasks), nr);
        int nTasksFinal = Math.ceilDiv(n, colsPer);
        pool.parallelFor(mTasks * nTasksFinal, threads, task -> {
            int i0 = (task / nTasksFinal) * rowsPer;
            int j0 = (task % nTasksFinal) * colsPer;
            block(kernel, transA, i0, Math.min(m, i0 + rowsPer), j0, Math.min(n, j0 + colsPer),
                    alpha, a, aOff, lda, packedA, b, beta, c, cOff, ldc, epilogue);
        });
    }

    /** Rows [i0, i1) x columns [j0, j1) of C, all of k; j0 is a multiple of nr. */
    private static void block(SgemmMicrokernel kernel, boolean transA, int i0, int i1, int j0, int j1,
                              float alpha, float[] a, int aOff, int lda, PackedA packedA, PackedMatrix b,
                              float beta, float[] c, int cOff, int ldc, Epilogue epilogue) {
        int k = b.k();
        int mr = kernel.mr();
        int nr = kernel.nr();
        int kcMax = kc(kernel);
        int mcMax = mc(kernel);
        float[] bData = b.data();
        float[] aBlock = packedA != null ? packedA.data() : aBlockBuffer(mcMax * kcMax);
        // row blocks outermost: the C block (MC x n) stays in L2 across the k blocks, which each
        // read it back to accumulate (with k blocks outermost C came back from L3 every time)
        for (int ic = i0; ic < i1; ic += mcMax) {
            int mc = Math.min(mcMax, i1 - ic);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                boolean accumulate = pc > 0;
                Epilogue last = pc + kc == k && !epilogue.isNone() ? epilogue : null;
                if (packedA == null) {
                    packA(transA, a, aOff, lda, ic, mc, pc, kc, mr, aBlock);
                }
                for (int jr = j0; jr < j1; jr += nr) {
                    int cols = Math.min(nr, j1 - jr);
                    int bOff = b.offset(pc, jr / nr);
                    for (int ir = 0; ir < mc; ir += mr) {
                        // ic + ir is a multiple of mr: task rows and MC are
                        int aAt = packedA != null ? packedA.offset(ic + ir, pc) : ir * kc;
                        kernel.tile(kc, aBlock, aAt, bData, bOff,
                                c, cOff + (ic + ir) * ldc + jr, ldc, Math.min(mr, mc - ir), cols,
                                alpha, beta, accumulate, last, ic + ir, jr);
                    }
                }
            }
        }
    }

    /** The small-M path: each task streams a range of B panels once for all m rows. */
    private static void smallM(SgemmMicrokernel kernel, boolean transA, int m, float alpha, float[] a, int aOff,
                               int lda, PackedMatrix b, float beta, float[] c, int cOff, int ldc,
                               Epilogue epilogue, ThreadPool pool) {
        int k = b.k();
        int n = b.n();
        int nr = kernel.nr();
        float[] rows = a;
        int rowsOff = aOff;
        int rowsLd = lda;
        if (transA) {
            // op(A) rows must be contiguous for the panel kernel: m x k is tiny next to B
            rows = new float[m * k];
            for (int i = 0; i < m; i++) {
                for (int p = 0; p < k; p++) {
                    rows[i * k + p] = a[aOff + p * lda + i];
                }
            }
            rowsOff = 0;
            rowsLd = k;
        }
        int panels = Math.ceilDiv(n, nr);
        int threads = usefulThreads(pool, 4.0 * k * n, MIN_BYTES_PER_THREAD);
        int tasks = Math.min(panels, threads == 1 ? 1 : threads * 8);
        int perTask = Math.ceilDiv(panels, tasks);
        float[] ra = rows;
        int ro = rowsOff;
        int rl = rowsLd;
        pool.parallelFor(Math.ceilDiv(panels, perTask), threads, task -> {
            int q1 = Math.min(panels, (task + 1) * perTask);
            for (int q = task * perTask; q < q1; q++) {
                int j0 = q * nr;
                kernel.panelRows(m, k, ra, ro, rl, b.data(), b.offset(0, q), c, cOff + j0, ldc,
                        Math.min(nr, n - j0), alpha, beta, epilogue.isNone() ? null : epilogue, j0);
            }
        });
    }

    /**
     * Small M, B not packed. B as it lies (k x n rows): each C row accumulates {@code alpha * A[i][p]}
     * times row p of B with the backend's axpy, so B streams once per row of A. B transposed (n x k
     * rows): each element is the backend's dot of two contiguous rows. Columns are split over the
     * threads; an element's arithmetic does not depend on the split.
     */
    private static void smallMUnpacked(boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
                                       int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff,
                                       int ldc, Epilogue epilogue, ThreadPool pool) {
        var kernels = KernelProvider.backend();
        int threads = usefulThreads(pool, 4.0 * k * n, MIN_BYTES_PER_THREAD);
        // one run of columns per thread: long axpy rows stream B well (chunks of 64 columns made
        // B's rows 3 KiB-strided reads and ran at a third of the speed). The split does not change
        // any element's arithmetic: axpy and dot are elementwise in j.
        int chunk = roundUp(Math.ceilDiv(n, threads), 64);
        int chunks = Math.ceilDiv(n, chunk);
        pool.parallelFor(chunks, threads, q -> {
            int j0 = q * chunk;
            int len = Math.min(chunk, n - j0);
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc + j0;
                if (transB) {
                    for (int j = 0; j < len; j++) {
                        float dot = kernels.dot(a, aOff + i * lda, b, bOff + (j0 + j) * ldb, k);
                        c[ci + j] = beta == 0f ? alpha * dot : alpha * dot + beta * c[ci + j];
                    }
                } else {
                    for (int j = 0; j < len; j++) {
                        c[ci + j] = beta == 0f ? 0f : beta * c[ci + j];
                    }
                    for (int p = 0; p < k; p++) {
                        kernels.axpy(alpha * a[aOff + i * lda + p], b, bOff + p * ldb + j0, c, ci, len);
                    }
                }
                if (!epilogue.isNone()) {
                    for (int j = 0; j < len; j++) {
                        c[ci + j] = epilogue.apply(c[ci + j], i, j0 + j);
                    }
                }
            }
        });
    }

    /**
     * Packs rows [ic, ic+mc) x columns [pc, pc+kc) of op(A) into micro-panels of mr rows,
     * k-major, zero-padding the last panel's missing rows.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int ic, int mc, int pc, int kc, int mr,
                      float[] dst) {
        for (int ir = 0; ir < mc; ir += mr) {
            int base = ir * kc;
            int rows = Math.min(mr, mc - ir);
            if (!transA) {
                for (int r = 0; r < rows; r++) {
                    int src = aOff + (ic + ir + r) * lda + pc;
                    for (int p = 0; p < kc; p++) {
                        dst[base + p * mr + r] = a[src + p];
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(a, aOff + (pc + p) * lda + ic + ir, dst, base + p * mr, rows);
                }
            }
            for (int r = rows; r < mr; r++) {
                for (int p = 0; p < kc; p++) {
                    dst[base + p * mr + r] = 0f;
                }
            }
        }
    }

    /**
     * Threads worth waking for {@code work} units: waking a parked worker costs tens of
     * microseconds on these VMs, so each thread must get at least {@code minPerThread}. Measured:
     * with 2 threads the 64^3, 128^3, 8x784x25 and 1x768x768 products ran slower than with one.
     */
    static int usefulThreads(ThreadPool pool, double work, double minPerThread) {
        return (int) Math.max(1, Math.min(pool.threads(), work / minPerThread));
    }

    private static void scaleOnly(int m, int n, float beta, float[] c, int cOff, int ldc, Epilogue epilogue) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int ci = cOff + i * ldc + j;
                c[ci] = epilogue.apply(beta == 0f ? 0f : beta * c[ci], i, j);
            }
        }
    }

    private static void checkA(boolean transA, int m, int k, float[] a, int aOff, int lda) {
        if (transA) {
            Ranges.checkMatrix("A (transposed)", aOff, k, m, lda, a.length);
        } else {
            Ranges.checkMatrix("A", aOff, m, k, lda, a.length);
        }
    }

    private static float[] aBlockBuffer(int size) {
        float[] buf = A_BLOCK.get();
        if (buf.length < size) {
            buf = new float[size];
            A_BLOCK.set(buf);
        }
        return buf;
    }

    private static int roundUp(int x, int multiple) {
        return Math.ceilDiv(x, multiple) * multiple;
    }
}
