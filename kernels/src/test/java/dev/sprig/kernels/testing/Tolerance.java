package dev.sprig.kernels.testing;

/**
 * FP32 comparison for results whose rounding may legitimately differ from the reference
 * (summation order, fused multiply-add): {@code |d| <= epsRel * sum|terms| + epsAbs}, where the
 * relative part grows with the reduction length K as the classic bound does: each of the two sums
 * is within {@code K * u * sum|terms|} of the exact value (u = 2^-24), so they differ by at most
 * twice that. Integer kernels and exact operations are compared bitwise instead.
 */
public final class Tolerance {

    /** Unit roundoff of float. */
    public static final double U = Math.ulp(1f) / 2;

    private Tolerance() {
    }

    /** Allowed |expected - actual| for a reduction of {@code k} terms whose magnitudes sum to {@code sumAbs}. */
    public static double allowed(int k, double sumAbs) {
        return 2.0 * (k + 2) * U * sumAbs + 1e-30;
    }

    /** Throws an {@link AssertionError} with {@code context} when actual is outside the bound. */
    public static void assertClose(float expected, float actual, int k, double sumAbs, String context) {
        if (Float.isNaN(expected) || Float.isInfinite(expected)) {
            if (Float.compare(expected, actual) != 0) {
                throw new AssertionError(context + ": expected " + expected + " but was " + actual);
            }
            return;
        }
        double d = Math.abs((double) expected - actual);
        double bound = allowed(k, sumAbs);
        if (!(d <= bound)) {
            throw new AssertionError(context + ": expected " + expected + " but was " + actual
                    + " (|d| = " + d + " > bound " + bound + " for K = " + k + ", sum|terms| = " + sumAbs + ")");
        }
    }

    /** Bitwise equality (NaN equals NaN, +0 differs from -0), with context on failure. */
    public static void assertSame(float expected, float actual, String context) {
        if (Float.floatToIntBits(expected) != Float.floatToIntBits(actual)) {
            throw new AssertionError(context + ": expected " + expected + " but was " + actual);
        }
    }

    /** Numeric equality: +0 equals -0 (the sign of an exact zero depends on the summation order), NaN equals NaN. */
    public static void assertEqual(float expected, float actual, String context) {
        if (!(expected == actual || (Float.isNaN(expected) && Float.isNaN(actual)))) {
            throw new AssertionError(context + ": expected " + expected + " but was " + actual);
        }
    }

    /** Distance in units in the last place between two floats of the same sign (0 when equal). */
    public static long ulpDistance(float a, float b) {
        if (Float.compare(a, b) == 0 || a == b) {
            return 0;
        }
        if (Float.isNaN(a) || Float.isNaN(b)) {
            return Long.MAX_VALUE;
        }
        long ia = Float.floatToIntBits(a);
        long ib = Float.floatToIntBits(b);
        // map to a monotonic integer line so that distances across zero are counted too
        ia = ia < 0 ? Integer.MIN_VALUE - ia : ia;
        ib = ib < 0 ? Integer.MIN_VALUE - ib : ib;
        return Math.abs(ia - ib);
    }
}
