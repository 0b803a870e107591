package dev.sprig.kernels.reference;

import dev.sprig.kernels.Ranges;

/** Reference reductions over a contiguous range. */
public final class Reductions {

    private Reductions() {
    }

    /** Returns the sum of {@code a[off..off+n)}, left to right; 0 when n is 0. */
    public static float sum(float[] a, int off, int n) {
        Ranges.check("sum", off, n, a.length);
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            sum += a[off + i];
        }
        return sum;
    }

    /** Returns the maximum with {@link Math#max} semantics; negative infinity when n is 0. */
    public static float max(float[] a, int off, int n) {
        Ranges.check("max", off, n, a.length);
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, a[off + i]);
        }
        return max;
    }
}
