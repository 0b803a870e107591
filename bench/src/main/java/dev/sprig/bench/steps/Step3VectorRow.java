package dev.sprig.bench.steps;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Step 3: step 2's i-k-j loop with the inner loop written in the Vector API: broadcast
 * {@code A[i][p]} into every lane and fused-multiply-add it with a vector of row p of B into the
 * same vector of row i of C; a scalar tail finishes the last {@code n mod lanes} columns.
 *
 * <p>Each FMA needs two loads (B and C) and a store (C): the loop is bound by the load/store
 * ports, not by the FMA units, at well under half the peak. Step 4 keeps C in registers instead.
 */
public final class Step3VectorRow {

    /** {@code static final}, so C2 sees the lane count as a constant and compiles vector instructions. */
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private Step3VectorRow() {
    }

    /** Overwrites C with A * B. */
    public static void multiply(int m, int n, int k, float[] a, float[] b, float[] c) {
        GemmOperands.check(m, n, k, a, b, c);
        Arrays.fill(c, 0, m * n, 0f);
        int vectorEnd = F.loopBound(n);
        for (int i = 0; i < m; i++) {
            int cRow = i * n;
            for (int p = 0; p < k; p++) {
                float aip = a[i * k + p];
                FloatVector av = FloatVector.broadcast(F, aip);
                int bRow = p * n;
                int j = 0;
                for (; j < vectorEnd; j += F.length()) {
                    FloatVector cv = FloatVector.fromArray(F, c, cRow + j);
                    av.fma(FloatVector.fromArray(F, b, bRow + j), cv).intoArray(c, cRow + j);
                }
                // scalar tail
                for (; j < n; j++) {
                    c[cRow + j] = Math.fma(aip, b[bRow + j], c[cRow + j]);
                }
            }
        }
    }
}
