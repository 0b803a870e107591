package dev.sprig.bench.steps;

import java.util.Arrays;

/**
 * Step 2: the same arithmetic in loop order i-k-j. The inner loop now adds {@code A[i][p]} times
 * row p of B into row i of C: both rows are contiguous, so memory is read in cache-line order, and
 * the iterations are independent (no reduction), which is what C2's auto-vectoriser (SuperWord)
 * needs.
 *
 * <p>It does not vectorise it on JDK 25: b and c are both parameters and may be the same array, so
 * a store to c could feed a later load from b, and SuperWord cannot prove otherwise (a runtime
 * aliasing check, JDK-8324751, comes after JDK 25). Measured with {@code -XX:UseAVX=2}: the loop
 * runs as fast with {@code -XX:-UseSuperWord} as without (3-4 GFLOP/s at 256 cubed), and as slowly
 * when C's row is a freshly allocated array. Step 3 vectorises it by hand.
 *
 * <p>Each element of C still receives its k terms in the order p = 0, 1, ..., as in step 1; only
 * the order in which elements are visited changed.
 */
public final class Step2LoopOrder {

    private Step2LoopOrder() {
    }

    /** Overwrites C with A * B. */
    public static void multiply(int m, int n, int k, float[] a, float[] b, float[] c) {
        GemmOperands.check(m, n, k, a, b, c);
        Arrays.fill(c, 0, m * n, 0f);
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                float aip = a[i * k + p];
                int bRow = p * n;
                int cRow = i * n;
                for (int j = 0; j < n; j++) {
                    c[cRow + j] += aip * b[bRow + j];
                }
            }
        }
    }
}
