package dev.sprig.bench.steps;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Step 4: register blocking. C is computed in tiles of {@link #MR} rows x {@link #NR} columns (4 x
 * 2 vectors: 4 x 16 floats at 256 bits) whose 8 accumulators stay in vector registers for the
 * whole k loop. Per k step the tile loads 2 vectors of B and broadcasts 4 floats of A for 8 FMAs:
 * C no longer goes through memory, and each load of B serves 4 FMAs. 8 independent accumulators
 * also cover the FMA latency (4 cycles at 2 FMAs per cycle), and with the 3 operand registers the
 * tile fits AVX2's 16 vector registers without spilling.
 *
 * <p>A and B are read where they lie: the tile's rows of A are k-long streams, and its B columns
 * are one short piece of each of k rows, n floats apart. When n is a power of two those pieces
 * map to a few L1 sets and evict one another (at n = 512 rows are 2 KiB apart, so the k pieces
 * fall into a few of the L1's 64 sets): measured, this step runs slower at 512 than at 256, and
 * step 5, which copies the pieces next to each other first, does not.
 *
 * <p>The right and bottom strips that do not fill a whole tile are computed as plain dot products.
 */
public final class Step4RegisterTile {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int W = F.length();
    /** Rows of the register tile. */
    static final int MR = 4;
    /** Columns of the register tile: two vectors. */
    static final int NR = 2 * W;

    private Step4RegisterTile() {
    }

    /** Overwrites C with A * B. */
    public static void multiply(int m, int n, int k, float[] a, float[] b, float[] c) {
        GemmOperands.check(m, n, k, a, b, c);
        int mTiles = m - m % MR;
        int nTiles = n - n % NR;
        for (int i = 0; i < mTiles; i += MR) {
            for (int j = 0; j < nTiles; j += NR) {
                tile(k, a, i * k, b, j, n, c, i * n + j);
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = i < mTiles ? nTiles : 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    sum = Math.fma(a[i * k + p], b[p * n + j], sum);
                }
                c[i * n + j] = sum;
            }
        }
    }

    /** One MR x NR tile of C (at cOff, rows n apart) from A's rows at aOff (k apart) and B's columns at bOff. */
    private static void tile(int k, float[] a, int aOff, float[] b, int bOff, int n, float[] c, int cOff) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        for (int p = 0; p < k; p++) {
            int bp = bOff + p * n;
            FloatVector b0 = FloatVector.fromArray(F, b, bp);
            FloatVector b1 = FloatVector.fromArray(F, b, bp + W);
            FloatVector av = FloatVector.broadcast(F, a[aOff + p]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(F, a[aOff + k + p]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(F, a[aOff + 2 * k + p]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(F, a[aOff + 3 * k + p]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + W);
        c10.intoArray(c, cOff + n);
        c11.intoArray(c, cOff + n + W);
        c20.intoArray(c, cOff + 2 * n);
        c21.intoArray(c, cOff + 2 * n + W);
        c30.intoArray(c, cOff + 3 * n);
        c31.intoArray(c, cOff + 3 * n + W);
    }
}
