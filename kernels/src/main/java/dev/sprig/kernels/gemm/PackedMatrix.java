package dev.sprig.kernels.gemm;

import dev.sprig.kernels.KernelProvider;
import dev.sprig.kernels.Ranges;
import dev.sprig.kernels.ThreadPool;

/**
 * The B operand of {@link Sgemm} packed once for the backend's microkernel, to be reused across
 * calls: the executor packs every weight matrix at session creation.
 *
 * <p>Layout: the k x n matrix is cut into column panels of {@code nr} (the microkernel's width),
 * the last one zero-padded; panel q holds all k rows contiguously, row-major within the panel:
 * element (p, j) sits at {@code (j / nr) * k * nr + p * nr + j % nr}. One panel is one sequential
 * stream for the small-M path, and any k block of it is one contiguous B micro-panel.
 */
public final class PackedMatrix {

    private final int k;
    private final int n;
    private final int nr;
    private final float[] data;

    private PackedMatrix(int k, int n, int nr, float[] data) {
        this.k = k;
        this.n = n;
        this.nr = nr;
        this.data = data;
    }

    /**
     * Packs op(B), k x n, where op(B) is B ({@code b[bOff + p*ldb + j]}) or, with {@code transB},
     * its transpose ({@code b[bOff + j*ldb + p]}).
     */
    public static PackedMatrix pack(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        return pack(transB, k, n, b, bOff, ldb, ThreadPool.SERIAL);
    }

    /** {@link #pack(boolean, int, int, float[], int, int)} with the panels spread over a pool. */
    public static PackedMatrix pack(boolean transB, int k, int n, float[] b, int bOff, int ldb, ThreadPool pool) {
        return pack(transB, k, n, b, bOff, ldb, KernelProvider.backend().sgemm().nr(), pool);
    }

    /** Packs for panels of {@code nr} columns (a given microkernel's width). */
    static PackedMatrix pack(boolean transB, int k, int n, float[] b, int bOff, int ldb, int nr, ThreadPool pool) {
        if (transB) {
            Ranges.checkMatrix("B (transposed)", bOff, n, k, ldb, b.length);
        } else {
            Ranges.checkMatrix("B", bOff, k, n, ldb, b.length);
        }
        int panels = Math.ceilDiv(n, nr);
        long size = (long) panels * k * nr;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("packed B of " + k + "x" + n + " needs " + size
                    + " floats, more than a Java array holds");
        }
        float[] data = new float[(int) size];
        int threads = Sgemm.usefulThreads(pool, 4.0 * k * n, Sgemm.MIN_BYTES_PER_THREAD);
        int chunks = Math.min(panels, threads * 4);
        int perChunk = Math.ceilDiv(panels, Math.max(1, chunks));
        pool.parallelFor(Math.ceilDiv(panels, Math.max(1, perChunk)), threads, chunk -> {
            int q1 = Math.min(panels, (chunk + 1) * perChunk);
            for (int q = chunk * perChunk; q < q1; q++) {
                packPanel(transB, k, n, nr, b, bOff, ldb, q, data);
            }
        });
        return new PackedMatrix(k, n, nr, data);
    }

    private static void packPanel(boolean transB, int k, int n, int nr, float[] b, int bOff, int ldb,
                                  int q, float[] dst) {
        int j0 = q * nr;
        int cols = Math.min(nr, n - j0);
        int base = q * k * nr;
        if (!transB) {
            for (int p = 0; p < k; p++) {
                System.arraycopy(b, bOff + p * ldb + j0, dst, base + p * nr, cols);
            }
        } else {
            for (int j = 0; j < cols; j++) {
                int src = bOff + (j0 + j) * ldb;
                for (int p = 0; p < k; p++) {
                    dst[base + p * nr + j] = b[src + p];
                }
            }
        }
    }

    /** Rows of op(B): the reduction length. */
    public int k() {
        return k;
    }

    /** Columns of op(B): the output width. */
    public int n() {
        return n;
    }

    /** Panel width the data was packed for. */
    public int nr() {
        return nr;
    }

    /** Bytes of packed storage (including the zero padding of the last panel). */
    public long bytes() {
        return (long) data.length * Float.BYTES;
    }

    float[] data() {
        return data;
    }

    /** Offset of the B micro-panel at (row p, panel q). */
    int offset(int p, int q) {
        return q * k * nr + p * nr;
    }

    @Override
    public String toString() {
        return "PackedMatrix[" + k + "x" + n + ", panels of " + nr + "]";
    }
}
