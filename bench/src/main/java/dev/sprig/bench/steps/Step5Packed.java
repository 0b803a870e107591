package dev.sprig.bench.steps;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Step 5: packing. Before multiplying, A is copied into panels of {@link #MR} rows and B into
 * panels of {@link #NR} columns, each panel stored k-major so that the register tile (step 4's 4 x
 * 2 vectors) reads both operands as two sequential streams: {@code MR} floats of A and {@code NR}
 * floats of B per k step, with no stride to collide in the cache and no edge: the last panels are
 * padded with zeros, which add nothing to C.
 *
 * <p>Layouts (the engine's {@code PackedMatrix} and {@code Sgemm.packA} use the same):
 * element (i, p) of A sits at {@code (i / MR) * MR * k + p * MR + i % MR}; element (p, j) of B at
 * {@code (j / NR) * NR * k + p * NR + j % NR}. Copying costs O(mk + kn) against the product's
 * O(mnk).
 *
 * <p>The whole of A and B is packed here, so at large sizes the panels come from L3 or memory;
 * step 6 packs blocks that fit the caches instead. The tile accumulates into C, so that step 6 can
 * call it once per block of k.
 */
public final class Step5Packed {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int W = F.length();
    /** Rows of the register tile and of an A panel. */
    static final int MR = 4;
    /** Columns of the register tile and of a B panel: two vectors. */
    static final int NR = 2 * W;

    private Step5Packed() {
    }

    /** Overwrites C with A * B. */
    public static void multiply(int m, int n, int k, float[] a, float[] b, float[] c) {
        GemmOperands.check(m, n, k, a, b, c);
        float[] aPacked = new float[roundUp(m, MR) * k];
        float[] bPacked = new float[k * roundUp(n, NR)];
        packA(a, k, 0, m, 0, k, aPacked);
        packB(b, n, 0, k, 0, n, bPacked);
        Arrays.fill(c, 0, m * n, 0f);
        for (int j = 0; j < n; j += NR) {
            for (int i = 0; i < m; i += MR) {
                // panel i / MR starts at (i / MR) * MR * k = i * k; likewise B's at j * k
                tile(k, aPacked, i * k, bPacked, j * k, c, i * n + j, n, Math.min(MR, m - i), Math.min(NR, n - j));
            }
        }
    }

    /**
     * Packs the block rows [i0, i0 + rows) x columns [p0, p0 + depth) of A (rows lda apart) into
     * {@code dst} as panels of MR rows, k-major; rows past the block are zeros.
     */
    static void packA(float[] a, int lda, int i0, int rows, int p0, int depth, float[] dst) {
        for (int i = 0; i < roundUp(rows, MR); i++) {
            int to = (i / MR) * MR * depth + i % MR;
            for (int p = 0; p < depth; p++) {
                dst[to + p * MR] = i < rows ? a[(i0 + i) * lda + p0 + p] : 0f;
            }
        }
    }

    /**
     * Packs the block rows [p0, p0 + depth) x columns [j0, j0 + cols) of B (rows ldb apart) into
     * {@code dst} as panels of NR columns, k-major; columns past the block are zeros.
     */
    static void packB(float[] b, int ldb, int p0, int depth, int j0, int cols, float[] dst) {
        for (int p = 0; p < depth; p++) {
            for (int j = 0; j < roundUp(cols, NR); j++) {
                dst[(j / NR) * NR * depth + p * NR + j % NR] = j < cols ? b[(p0 + p) * ldb + j0 + j] : 0f;
            }
        }
    }

    /**
     * Adds the product of an A panel (at aOff) and a B panel (at bOff), both {@code depth} long,
     * to the {@code rows x cols} tile of C at cOff (rows ldc apart); rows and cols are at most MR
     * and NR.
     */
    static void tile(int depth, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc,
                     int rows, int cols) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        for (int p = 0; p < depth; p++) {
            int ap = aOff + p * MR;
            int bp = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(F, b, bp);
            FloatVector b1 = FloatVector.fromArray(F, b, bp + W);
            FloatVector av = FloatVector.broadcast(F, a[ap]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(F, a[ap + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(F, a[ap + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(F, a[ap + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        if (rows == MR && cols == NR) {
            c00.add(FloatVector.fromArray(F, c, cOff)).intoArray(c, cOff);
            c01.add(FloatVector.fromArray(F, c, cOff + W)).intoArray(c, cOff + W);
            c10.add(FloatVector.fromArray(F, c, cOff + ldc)).intoArray(c, cOff + ldc);
            c11.add(FloatVector.fromArray(F, c, cOff + ldc + W)).intoArray(c, cOff + ldc + W);
            c20.add(FloatVector.fromArray(F, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
            c21.add(FloatVector.fromArray(F, c, cOff + 2 * ldc + W)).intoArray(c, cOff + 2 * ldc + W);
            c30.add(FloatVector.fromArray(F, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
            c31.add(FloatVector.fromArray(F, c, cOff + 3 * ldc + W)).intoArray(c, cOff + 3 * ldc + W);
            return;
        }
        // an edge tile: the padded rows and columns were computed too, only the real ones are added
        float[] acc = new float[MR * NR];
        c00.intoArray(acc, 0);
        c01.intoArray(acc, W);
        c10.intoArray(acc, NR);
        c11.intoArray(acc, NR + W);
        c20.intoArray(acc, 2 * NR);
        c21.intoArray(acc, 2 * NR + W);
        c30.intoArray(acc, 3 * NR);
        c31.intoArray(acc, 3 * NR + W);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                c[cOff + r * ldc + j] += acc[r * NR + j];
            }
        }
    }

    static int roundUp(int x, int multiple) {
        return Math.ceilDiv(x, multiple) * multiple;
    }
}
