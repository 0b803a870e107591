package dev.sprig.kernels.int8;

import dev.sprig.kernels.KernelProvider;
import dev.sprig.kernels.Ranges;
import dev.sprig.kernels.ThreadPool;
import java.util.Arrays;

/**
 * Integer GEMM with ONNX {@code MatMulInteger} semantics:
 * {@code C[i][j] = sum_p (A[i][p] - aZero) * (B[p][j] - bZero[j])} in int32, row-major, C
 * overwritten; A and B are bytes read as int8 or uint8. {@link dev.sprig.kernels.reference.Qgemm}
 * is the definition; results equal it exactly.
 *
 * <p>How: both operands are re-encoded as int8 (a uint8 value and its zero point both shifted by
 * -128, which keeps every difference), so the tile multiplies int8 by int8 and the zero points
 * leave the inner loop: {@code C = sum A'B' - aZero'*colSum(B') - bZero'[j]*rowSum(A') + k*aZero'*bZero'[j]},
 * with the column sums kept by {@link PackedQMatrix} and the row sums taken while A is packed.
 * B is packed into 16-column panels (once per weight with {@link PackedQMatrix#pack}); A, per
 * block of rows and of k, into pairs of 16-bit values, the form the microkernel multiplies with one
 * 16-bit multiply per pair of steps ({@link QgemmMicrokernel}).
 *
 * <p>Blocking: k in blocks of {@value #KC} steps (a B micro-panel of 8 KiB stays in L1 while the
 * tile walks down the A block), rows in blocks of about {@value #MC} (the A block, 96 KiB of
 * pairs, stays in L2); a product of at most one tile of rows (batch 1) streams each B panel whole. Threads split C into row blocks, and into column ranges when there are too
 * few rows (batch 1); integer sums are exact, so the result is the same for any thread count.
 */
public final class Qgemm {

    /** Steps of a k block: the B micro-panel is 16 x 512 bytes, 8 KiB. */
    static final int KC = 512;
    /** Rows of an A block (rounded down to the tile's rows): 96 x 512 steps in pairs, 96 KiB. */
    static final int MC = 96;
    /** Multiply-adds below which another thread is not worth waking (about 100 us). */
    private static final double MIN_MACS_PER_THREAD = 2e6;

    private static final ThreadLocal<int[]> A_BLOCK = ThreadLocal.withInitial(() -> new int[0]);

    private Qgemm() {
    }

    /**
     * {@code C[i*ldc+j] = sum_p (A(i,p) - aZero) * (B(p,j) - bZero(j))}: A m x k row-major bytes at
     * {@code a[aOff + i*lda + p]}, B k x n row-major bytes at {@code b[bOff + p*ldb + j]}, C int32.
     * {@code aSigned}/{@code bSigned} say whether the bytes are int8 (-128..127) or uint8 (0..255).
     * {@code bZero} has length 1 (per tensor) or n (per output column). C is overwritten. B is
     * packed on every call: for weights, pack once with {@link PackedQMatrix#pack} and call the
     * other overload.
     *
     * @throws IllegalArgumentException for negative dimensions, short leading dimensions or a
     *                                  zero-point array of the wrong length
     * @throws IndexOutOfBoundsException when an operand does not fit its array
     */
    public static void qgemm(int m, int n, int k, byte[] a, int aOff, int lda, boolean aSigned, int aZero,
                             byte[] b, int bOff, int ldb, boolean bSigned, int[] bZero,
                             int[] c, int cOff, int ldc, ThreadPool pool) {
        Ranges.checkMatrix("A", aOff, m, k, lda, a.length);
        Ranges.checkMatrix("C", cOff, m, n, ldc, c.length);
        PackedQMatrix packed = PackedQMatrix.pack(k, n, b, bOff, ldb, bSigned, bZero);
        qgemm(KernelProvider.backend().qgemm(), m, a, aOff, lda, aSigned, aZero, packed, c, cOff, ldc, pool);
    }

    /**
     * The same product with a pre-packed B ({@link PackedQMatrix#pack}, once per weight): A is m x k
     * where k = {@code b.k()}, C is m x {@code b.n()}.
     */
    public static void qgemm(int m, byte[] a, int aOff, int lda, boolean aSigned, int aZero, PackedQMatrix b,
                             int[] c, int cOff, int ldc, ThreadPool pool) {
        qgemm(KernelProvider.backend().qgemm(), m, a, aOff, lda, aSigned, aZero, b, c, cOff, ldc, pool);
    }

    /** The pre-packed product on a given microkernel (the tests run every tile). */
    static void qgemm(QgemmMicrokernel kernel, int m, byte[] a, int aOff, int lda, boolean aSigned, int aZero,
                      PackedQMatrix b, int[] c, int cOff, int ldc, ThreadPool pool) {
        int k = b.k();
        int n = b.n();
        Ranges.checkMatrix("A", aOff, m, k, lda, a.length);
        Ranges.checkMatrix("C", cOff, m, n, ldc, c.length);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            for (int i = 0; i < m; i++) {
                Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0);
            }
            return;
        }
        int mr = kernel.mr();
        int nr = PackedQMatrix.NR;
        int threads = (int) Math.max(1, Math.min(pool.threads(), (double) m * n * k / MIN_MACS_PER_THREAD));
        int mcMax = mc(mr);
        int mChunks = Math.ceilDiv(m, mcMax);
        if (threads > 1) {
            mChunks = Math.min(Math.ceilDiv(m, mr), Math.ceilDiv(mChunks, threads) * threads);
        }
        int rowsPer = Math.ceilDiv(Math.ceilDiv(m, mChunks), mr) * mr;
        int mTasks = Math.ceilDiv(m, rowsPer);
        int nTasks = 1;
        if (mTasks < threads) {
            // few rows (batch 1): columns too, a few ranges per thread so that uneven ones even out
            nTasks = Math.min(Math.ceilDiv(n, nr), Math.ceilDiv(threads, mTasks) * (m <= mr ? 4 : 1));
        }
        int colsPer = Math.ceilDiv(Math.ceilDiv(n, nTasks), nr) * nr;
        int nTasksFinal = Math.ceilDiv(n, colsPer);
        int aZeroShifted = aZero - (aSigned ? 0 : 128);
        pool.parallelFor(mTasks * nTasksFinal, threads, task -> {
            int i0 = (task / nTasksFinal) * rowsPer;
            int j0 = (task % nTasksFinal) * colsPer;
            block(kernel, i0, Math.min(m, i0 + rowsPer), j0, Math.min(n, j0 + colsPer),
                    a, aOff, lda, aSigned, aZeroShifted, b, c, cOff, ldc);
        });
    }

    /** Rows of an A block for a tile of mr rows. */
    static int mc(int mr) {
        return Math.max(mr, MC / mr * mr);
    }

    /** Rows [i0, i1) x columns [j0, j1) of C, all of k; j0 is a multiple of 16. */
    private static void block(QgemmMicrokernel kernel, int i0, int i1, int j0, int j1, byte[] a, int aOff, int lda,
                              boolean aSigned, int aZero, PackedQMatrix b, int[] c, int cOff, int ldc) {
        int k = b.k();
        int quads = b.paddedK() / 4;
        int mr = kernel.mr();
        // a block of at most mr rows (batch 1) takes all of k at once: each B panel then streams
        // as one contiguous run (k blocks would read it in 8 KiB pieces 16 * k bytes apart)
        int kcQuads = i1 - i0 <= mr ? quads : KC / 4;
        int mcMax = Math.min(mc(mr), Math.ceilDiv(i1 - i0, mr) * mr);
        byte[] bData = b.data();
        int sums = mcMax * kcQuads * 2; // the row sums follow the packed block in the buffer
        int[] buf = aBlockBuffer(sums + mcMax);
        boolean correct = aZero != 0 || !b.zeroPointsZero();
        for (int ic = i0; ic < i1; ic += mcMax) {
            int mc = Math.min(mcMax, i1 - ic);
            for (int tc = 0; tc < quads; tc += kcQuads) {
                int kq = Math.min(kcQuads, quads - tc);
                packA(a, aOff, lda, aSigned, k, ic, mc, tc * 4, kq, mr, buf, sums, tc > 0);
                for (int jr = j0; jr < j1; jr += PackedQMatrix.NR) {
                    int bOff = b.offset(tc * 4, jr / PackedQMatrix.NR);
                    int cols = Math.min(PackedQMatrix.NR, j1 - jr);
                    for (int ir = 0; ir < mc; ir += mr) {
                        kernel.tile(kq, buf, ir * kq * 2, bData, bOff, c, cOff + (ic + ir) * ldc + jr, ldc,
                                Math.min(mr, mc - ir), cols, tc > 0);
                    }
                }
            }
            if (correct) {
                zeroPointCorrection(b, k, aZero, buf, sums, ic, mc, j0, j1, c, cOff, ldc);
            }
        }
    }

    /**
     * Packs rows [ic, ic+mc) x steps [p0, p0 + 4*kq) of A, re-encoded as int8, into micro-panels of
     * mr rows in the pair layout of {@link QgemmMicrokernel}, zeros past k and past the last row;
     * adds each row's values to {@code buf[sums + r]} (starting from 0 unless {@code keepSums}).
     */
    static void packA(byte[] a, int aOff, int lda, boolean aSigned, int k, int ic, int mc, int p0, int kq, int mr,
                      int[] buf, int sums, boolean keepSums) {
        int flip = aSigned ? 0 : 0x80; // uint8 v -> int8 v - 128: flip the top bit
        int full = Math.min(kq * 4, k - p0);
        for (int ir = 0; ir < mc; ir += mr) {
            int base = ir * kq * 2;
            int rows = Math.min(mr, mc - ir);
            for (int r = 0; r < mr; r++) {
                if (r >= rows) {
                    for (int t = 0; t < 2 * kq; t++) {
                        buf[base + t * mr + r] = 0;
                    }
                    continue;
                }
                int src = aOff + (ic + ir + r) * lda + p0;
                int sum = 0;
                int s = 0;
                // whole pairs, then the odd step and the padding
                for (; s + 1 < full; s += 2) {
                    int v0 = (byte) (a[src + s] ^ flip);
                    int v1 = (byte) (a[src + s + 1] ^ flip);
                    sum += v0 + v1;
                    buf[base + (s >> 1) * mr + r] = (v1 << 16) | (v0 & 0xFFFF);
                }
                for (; s < 4 * kq; s += 2) {
                    int v0 = s < full ? (byte) (a[src + s] ^ flip) : 0;
                    sum += v0;
                    buf[base + (s >> 1) * mr + r] = v0 & 0xFFFF;
                }
                buf[sums + ir + r] = keepSums ? buf[sums + ir + r] + sum : sum;
            }
        }
    }

    /** Adds {@code k*aZero*zero(j) - aZero*colSum(j) - zero(j)*rowSum(i)} to rows [ic, ic+mc) x columns [j0, j1). */
    private static void zeroPointCorrection(PackedQMatrix b, int k, int aZero, int[] buf, int sums, int ic, int mc,
                                            int j0, int j1, int[] c, int cOff, int ldc) {
        for (int r = 0; r < mc; r++) {
            int rowSum = buf[sums + r];
            int ci = cOff + (ic + r) * ldc;
            for (int j = j0; j < j1; j++) {
                int zb = b.zero(j);
                c[ci + j] += k * aZero * zb - aZero * b.colSum(j) - zb * rowSum;
            }
        }
    }

    private static int[] aBlockBuffer(int size) {
        int[] buf = A_BLOCK.get();
        if (buf.length < size) {
            buf = new int[size];
            A_BLOCK.set(buf);
        }
        return buf;
    }
}
