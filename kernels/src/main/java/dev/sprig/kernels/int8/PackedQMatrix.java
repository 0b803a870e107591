package dev.sprig.kernels.int8;

import dev.sprig.kernels.Ranges;
import java.util.Objects;

/**
 * The B operand of {@link Qgemm} (k x n, usually weights) packed once into the layout the integer
 * microkernels read, with what the zero-point correction needs precomputed.
 *
 * <p>Values are stored as int8: a uint8 byte {@code v} becomes {@code v - 128} (its top bit
 * flipped) and its zero point {@code z} becomes {@code z - 128}, which leaves every difference
 * {@code B - zero} unchanged. Layout: panels of {@value #NR} columns, each holding all of k rounded
 * up to a multiple of 4 ({@link #paddedK()}); inside a panel, k runs in quads of 4 steps, each quad
 * as two halves (steps p, p+1 and p+2, p+3), each half as 16 pairs of bytes, one pair per column:
 * {@code B'[p][q*16 + j]} at {@code q*paddedK*16 + (p/4)*64 + ((p/2)%2)*32 + j*2 + p%2}; zeros pad
 * the missing rows and columns. A pair is what one 32-bit lane multiplies by a pair of 16-bit
 * activations, so a kernel loads 2 bytes per column and step pair with one vector load.
 *
 * <p>Also kept, per column j: the zero point {@code zero(j)} (shifted as above) and
 * {@code colSum(j) = sum_p B'[p][j]}.
 */
public final class PackedQMatrix {

    /** Columns of a panel: two 8-lane int vectors at 256 bits. */
    public static final int NR = 16;

    private final int k;
    private final int n;
    private final byte[] data;
    private final int[] zero;
    private final int[] colSum;
    private final boolean allZeroPointsZero;

    private PackedQMatrix(int k, int n, byte[] data, int[] zero, int[] colSum) {
        this.k = k;
        this.n = n;
        this.data = data;
        this.zero = zero;
        this.colSum = colSum;
        boolean z = true;
        for (int v : zero) {
            z &= v == 0;
        }
        this.allZeroPointsZero = z;
    }

    /**
     * Packs B, k x n at {@code b[bOff + p*ldb + j]}, int8 when {@code bSigned} else uint8, with
     * zero points {@code bZero} (length 1: per tensor, or n: per column).
     *
     * @throws IllegalArgumentException for negative dimensions, a short leading dimension, or a
     *                                  zero-point array of another length
     * @throws IndexOutOfBoundsException when B does not fit its array
     */
    public static PackedQMatrix pack(int k, int n, byte[] b, int bOff, int ldb, boolean bSigned, int[] bZero) {
        Ranges.checkMatrix("B", bOff, k, n, ldb, b.length);
        return pack(k, n, b, bOff, ldb, 1, bSigned, bZero);
    }

    /**
     * Packs B given transposed: {@code B[p][j] = bt[btOff + j*ldbt + p]}, i.e. an n x k row-major
     * matrix such as a Gemm weight with transB = 1 or conv filters (one output channel per row).
     */
    public static PackedQMatrix packTransposed(int k, int n, byte[] bt, int btOff, int ldbt, boolean bSigned,
                                               int[] bZero) {
        Ranges.checkMatrix("B (transposed)", btOff, n, k, ldbt, bt.length);
        return pack(k, n, bt, btOff, 1, ldbt, bSigned, bZero);
    }

    /** B[p][j] at {@code b[bOff + p*rowStride + j*colStride]}. */
    private static PackedQMatrix pack(int k, int n, byte[] b, int bOff, int rowStride, int colStride,
                                      boolean bSigned, int[] bZero) {
        Objects.requireNonNull(bZero, "bZero");
        if (bZero.length != 1 && bZero.length != n) {
            throw new IllegalArgumentException("B zero points: expected length 1 (per tensor) or n = " + n
                    + " (per column), got " + bZero.length);
        }
        int kp = paddedK(k);
        int panels = Math.ceilDiv(n, NR);
        byte[] data = new byte[Math.multiplyExact(Math.multiplyExact(panels, kp), NR)];
        int[] zero = new int[n];
        int[] colSum = new int[n];
        int shift = bSigned ? 0 : 128;
        for (int j = 0; j < n; j++) {
            zero[j] = (bZero.length == 1 ? bZero[0] : bZero[j]) - shift;
            int base = (j / NR) * kp * NR + (j % NR) * 2;
            int sum = 0;
            for (int p = 0; p < k; p++) {
                int v = bSigned ? b[bOff + p * rowStride + j * colStride]
                        : (b[bOff + p * rowStride + j * colStride] & 0xFF) - 128;
                data[base + (p >> 2) * 64 + ((p >> 1) & 1) * 32 + (p & 1)] = (byte) v;
                sum += v;
            }
            colSum[j] = sum;
        }
        return new PackedQMatrix(k, n, data, zero, colSum);
    }

    /** k rounded up to a multiple of 4: the steps a panel holds. */
    static int paddedK(int k) {
        return (k + 3) & ~3;
    }

    /** Rows of B (the reduction length). */
    public int k() {
        return k;
    }

    /** Columns of B. */
    public int n() {
        return n;
    }

    /** {@link #k()} rounded up to a multiple of 4. */
    public int paddedK() {
        return paddedK(k);
    }

    /** Bytes of packed weights (what the weights occupy in memory). */
    public long bytes() {
        return data.length;
    }

    /** The packed panels, read by the microkernels. */
    byte[] data() {
        return data;
    }

    /** Offset of panel q (columns [16q, 16q + 16)) at step p, a multiple of 4. */
    int offset(int p, int q) {
        return q * paddedK() * NR + p * NR;
    }

    /** Column j's zero point, shifted to the int8 encoding. */
    int zero(int j) {
        return zero[j];
    }

    /** Sum over k of column j's int8-encoded values. */
    int colSum(int j) {
        return colSum[j];
    }

    /** True when every column's (int8-encoded) zero point is 0: no per-row correction is needed. */
    boolean zeroPointsZero() {
        return allZeroPointsZero;
    }

    @Override
    public String toString() {
        return "PackedQMatrix[" + k + "x" + n + ", panels of " + NR + "]";
    }
}
