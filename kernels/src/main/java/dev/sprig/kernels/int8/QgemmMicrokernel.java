package dev.sprig.kernels.int8;

/**
 * The tile kernel of {@link Qgemm}: int32 sums of int8 products over packed operands. Two exist:
 * {@link QgemmMicrokernelScalar} and a Vector API tile, picked by
 * {@link dev.sprig.kernels.KernelProvider#backend()}.
 *
 * <p>Operands, for {@code quads} quads of k steps (4 each):
 * <ul>
 *   <li>A, a micro-panel of {@link #mr()} rows: per quad, two halves (steps p, p+1 and p+2, p+3),
 *       each {@code mr} ints, the int of row r holding the row's two int8 values as 16-bit halves,
 *       step p in the low half: {@code a[aOff + t*2*mr + h*mr + r] = (A[r][4t+2h+1] << 16) | (A[r][4t+2h] & 0xFFFF)};</li>
 *   <li>B, a {@link PackedQMatrix} panel of 16 columns from {@code b[bOff]}, steps in the same
 *       quads, 2 bytes per column per half.</li>
 * </ul>
 * Sums are exact in int32 (wrapping mod 2^32 like Java int arithmetic).
 */
public interface QgemmMicrokernel {

    /** Rows of the tile (the A micro-panel's row count). */
    int mr();

    /** Name with the tile shape, e.g. {@code QgemmMicrokernelScalar(4x16)}. */
    String name();

    /**
     * {@code S[r][j] = sum over the quads of A[r][p] * B[p][j]} for the valid {@code rows x cols}
     * part of the tile ({@code rows <= mr}, {@code cols <= 16}); stored as {@code C[r][j] = S} or, when
     * {@code accumulate}, {@code C[r][j] += S}, at {@code c[cOff + r*ldc + j]}.
     */
    void tile(int quads, int[] a, int aOff, byte[] b, int bOff, int[] c, int cOff, int ldc,
              int rows, int cols, boolean accumulate);
}
