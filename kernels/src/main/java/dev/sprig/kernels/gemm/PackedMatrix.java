package dev.sprig.kernels.gemm;

import dev.sprig.kernels.KernelProvider;
import dev.sprig.kernels.Ranges;
import dev.sprig.kernels.ThreadPool;
import java.util.Arrays;

/**
 * The B operand of {@link Sgemm} packed once for the backend's microkernel, to be reused across
 * calls: the executor packs every weight matrix at session creation.
 *
 * <p>Layout: the k x n matrix is cut into column panels of {@code nr} (the microkernel's width),
 * the last one zero-padded; panel q holds all k rows contiguously, row-major within the panel:
 * element (p, j) sits at {@code (j / nr) * k * nr + p * nr + j % nr}. One panel is one sequential
 * stream for the small-M path, and any k block of it is one contiguous B micro-panel.
 *
 * <p>An operand that changes on every call (a convolution's input or im2col columns) is instead
 * packed into, or written directly in this layout into, a buffer the caller reuses:
 * {@link #packInto} and {@link #wrap}, sized by {@link #packedSize}.
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
        checkB(transB, k, n, b, bOff, ldb);
        float[] data = new float[size(k, n, nr)];
        fill(transB, k, n, b, bOff, ldb, nr, data, pool);
        return new PackedMatrix(k, n, nr, data);
    }

    /**
     * Floats a k x n matrix packed for the backend's microkernel occupies, {@code ceil(n / nr) * k * nr}:
     * the size of a buffer for {@link #packInto} or {@link #wrap}.
     *
     * @throws IllegalArgumentException for negative dimensions or a size past what a Java array holds
     */
    public static int packedSize(int k, int n) {
        return size(k, n, KernelProvider.backend().sgemm().nr());
    }

    /**
     * {@link #pack(boolean, int, int, float[], int, int, ThreadPool)} into the caller's buffer
     * {@code dst[0, packedSize(k, n))} instead of a fresh array, so that an operand packed on every
     * call (a convolution's input) reuses one buffer. The result shares {@code dst}: it is valid until
     * the caller writes {@code dst} again. The zero padding of the last panel is written too.
     *
     * @throws IndexOutOfBoundsException when op(B) does not fit {@code b}, or {@code dst} is shorter than
     *                                   {@link #packedSize}
     */
    public static PackedMatrix packInto(boolean transB, int k, int n, float[] b, int bOff, int ldb, float[] dst,
                                        ThreadPool pool) {
        return packInto(transB, k, n, b, bOff, ldb, KernelProvider.backend().sgemm().nr(), dst, pool);
    }

    /** {@link #packInto} for panels of {@code nr} columns. */
    static PackedMatrix packInto(boolean transB, int k, int n, float[] b, int bOff, int ldb, int nr, float[] dst,
                                 ThreadPool pool) {
        checkB(transB, k, n, b, bOff, ldb);
        checkBuffer(k, n, nr, dst);
        fill(transB, k, n, b, bOff, ldb, nr, dst, pool);
        return new PackedMatrix(k, n, nr, dst);
    }

    /**
     * Wraps a buffer the caller has already filled in the packed layout (see the class comment) for
     * the backend's panel width, {@code KernelProvider.backend().sgemm().nr()}, with the missing
     * columns of the last panel zero: a convolution writes its im2col columns straight into panels
     * this way, with no second copy. Nothing is copied or checked beyond the size; the result shares
     * {@code data} and is valid until the caller writes it again.
     *
     * @throws IllegalArgumentException for negative dimensions
     * @throws IndexOutOfBoundsException when {@code data} is shorter than {@link #packedSize}
     */
    public static PackedMatrix wrap(int k, int n, float[] data) {
        return wrap(k, n, KernelProvider.backend().sgemm().nr(), data);
    }

    /** {@link #wrap} for panels of {@code nr} columns. */
    static PackedMatrix wrap(int k, int n, int nr, float[] data) {
        checkBuffer(k, n, nr, data);
        return new PackedMatrix(k, n, nr, data);
    }

    private static void checkB(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        if (transB) {
            Ranges.checkMatrix("B (transposed)", bOff, n, k, ldb, b.length);
        } else {
            Ranges.checkMatrix("B", bOff, k, n, ldb, b.length);
        }
    }

    private static int size(int k, int n, int nr) {
        if (k < 0 || n < 0) {
            throw new IllegalArgumentException("packed B: dimensions must be >= 0, got " + k + "x" + n);
        }
        long size = (long) Math.ceilDiv(n, nr) * k * nr;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("packed B of " + k + "x" + n + " needs " + size
                    + " floats, more than a Java array holds");
        }
        return (int) size;
    }

    private static void checkBuffer(int k, int n, int nr, float[] buffer) {
        int size = size(k, n, nr);
        if (buffer.length < size) {
            throw new IndexOutOfBoundsException("packed B of " + k + "x" + n + " in panels of " + nr + " needs "
                    + size + " floats, the buffer has " + buffer.length);
        }
    }

    /** Packs every panel of op(B) into {@code data}, the panels spread over the pool. */
    private static void fill(boolean transB, int k, int n, float[] b, int bOff, int ldb, int nr, float[] data,
                             ThreadPool pool) {
        int panels = Math.ceilDiv(n, nr);
        int threads = Sgemm.usefulThreads(pool, 4.0 * k * n, Sgemm.MIN_BYTES_PER_THREAD);
        int chunks = Math.min(panels, threads * 4);
        int perChunk = Math.ceilDiv(panels, Math.max(1, chunks));
        pool.parallelFor(Math.ceilDiv(panels, Math.max(1, perChunk)), threads, chunk -> {
            int q1 = Math.min(panels, (chunk + 1) * perChunk);
            for (int q = chunk * perChunk; q < q1; q++) {
                packPanel(transB, k, n, nr, b, bOff, ldb, q, data);
            }
        });
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
        if (cols < nr) {
            // a reused buffer holds stale values in the last panel's missing columns
            for (int p = 0; p < k; p++) {
                Arrays.fill(dst, base + p * nr + cols, base + (p + 1) * nr, 0f);
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
        // not data.length: a wrapped buffer may be longer than the matrix
        return (long) Math.ceilDiv(n, nr) * k * nr * Float.BYTES;
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
