package dev.sprig.kernels;

import static org.quicktheories.QuickTheory.qt;

import dev.sprig.kernels.testing.EdgeSizes;
import dev.sprig.kernels.testing.FloatData;
import dev.sprig.kernels.testing.Tolerance;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/**
 * Every kernel of the backend in use against its reference twin, on edge and random lengths,
 * offsets and special values. Surefire runs this class on the provider's default backend, at 128
 * bits, and on the scalar backend.
 */
class KernelBackendPropertyTest {

    private static final KernelBackend FAST = KernelProvider.backend();
    private static final KernelBackend REF = ScalarBackend.INSTANCE;
    private static final int EXAMPLES = 400;

    private static String ctx(String kernel, int n, int aOff, int bOff, long seed) {
        return kernel + " [" + FAST.name() + " " + FAST.vectorBits() + "-bit] n=" + n
                + " aOff=" + aOff + " bOff=" + bOff + " seed=" + seed;
    }

    @Test
    void dotMatchesReferenceWithinReductionBound() {
        qt().withExamples(EXAMPLES).forAll(EdgeSizes.sizes(0, 1100), EdgeSizes.offsets(), EdgeSizes.offsets(), EdgeSizes.seeds())
                .checkAssert((n, aOff, bOff, seed) -> {
                    float[] a = FloatData.uniform(seed, aOff + n);
                    float[] b = FloatData.uniform(seed + 1, bOff + n);
                    double sumAbs = 0;
                    for (int i = 0; i < n; i++) {
                        sumAbs += Math.abs((double) a[aOff + i] * b[bOff + i]);
                    }
                    Tolerance.assertClose(REF.dot(a, aOff, b, bOff, n), FAST.dot(a, aOff, b, bOff, n), n, sumAbs,
                            ctx("dot", n, aOff, bOff, seed));
                });
    }

    @Test
    void dotOfSmallIntegersIsExact() {
        qt().withExamples(EXAMPLES).forAll(EdgeSizes.sizes(0, 1100), EdgeSizes.offsets(), EdgeSizes.seeds())
                .checkAssert((n, off, seed) -> {
                    float[] a = FloatData.smallIntegers(seed, off + n);
                    float[] b = FloatData.smallIntegers(seed + 7, n);
                    Tolerance.assertSame(REF.dot(a, off, b, 0, n), FAST.dot(a, off, b, 0, n), ctx("dot ints", n, off, 0, seed));
                });
    }

    @Test
    void sumMatchesReferenceWithinReductionBound() {
        qt().withExamples(EXAMPLES).forAll(EdgeSizes.sizes(0, 1100), EdgeSizes.offsets(), EdgeSizes.seeds())
                .checkAssert((n, off, seed) -> {
                    float[] a = FloatData.uniform(seed, off + n);
                    double sumAbs = 0;
                    for (int i = 0; i < n; i++) {
                        sumAbs += Math.abs(a[off + i]);
                    }
                    Tolerance.assertClose(REF.sum(a, off, n), FAST.sum(a, off, n), n, sumAbs, ctx("sum", n, off, 0, seed));
                });
    }

    @Test
    void sumPropagatesSpecialValues() {
        qt().withExamples(EXAMPLES).forAll(EdgeSizes.sizes(1, 300), EdgeSizes.seeds())
                .checkAssert((n, seed) -> {
                    float[] a = FloatData.withSpecials(seed, n);
                    // +-MAX_VALUE terms overflow or not depending on the order; every other special is order-free
                    boolean hasNaNOrInf = false;
                    for (int i = 0; i < n; i++) {
                        if (Math.abs(a[i]) == Float.MAX_VALUE) {
                            a[i] = 1f;
                        }
                        hasNaNOrInf |= Float.isNaN(a[i]) || Float.isInfinite(a[i]);
                    }
                    float ref = REF.sum(a, 0, n);
                    float fast = FAST.sum(a, 0, n);
                    if (hasNaNOrInf) {
                        Tolerance.assertSame(ref, fast, ctx("sum specials", n, 0, 0, seed));
                    } else {
                        double sumAbs = 0;
                        for (float v : a) {
                            sumAbs += Math.abs(v);
                        }
                        Tolerance.assertClose(ref, fast, n, sumAbs, ctx("sum specials", n, 0, 0, seed));
                    }
                });
    }

    @Test
    void maxIsBitwiseEqualIncludingSpecials() {
        qt().withExamples(EXAMPLES).forAll(EdgeSizes.sizes(0, 600), EdgeSizes.offsets(), EdgeSizes.seeds(), Generate.booleans())
                .checkAssert((n, off, seed, specials) -> {
                    float[] a = specials ? FloatData.withSpecials(seed, off + n) : FloatData.uniform(seed, off + n);
                    Tolerance.assertSame(REF.max(a, off, n), FAST.max(a, off, n), ctx("max", n, off, 0, seed));
                });
    }

    @Test
    void axpyMatchesReferenceWithinOneFusedRounding() {
        qt().withExamples(EXAMPLES).forAll(EdgeSizes.sizes(0, 600), EdgeSizes.offsets(), EdgeSizes.offsets(), EdgeSizes.seeds())
                .checkAssert((n, xOff, yOff, seed) -> {
                    float alpha = (float) new java.util.SplittableRandom(seed).nextDouble(-2, 2);
                    float[] x = FloatData.uniform(seed, xOff + n);
                    float[] y0 = FloatData.uniform(seed + 3, yOff + n + 2);
                    float[] yRef = y0.clone();
                    float[] yFast = y0.clone();
                    REF.axpy(alpha, x, xOff, yRef, yOff, n);
                    FAST.axpy(alpha, x, xOff, yFast, yOff, n);
                    for (int i = 0; i < y0.length; i++) {
                        boolean inside = i >= yOff && i < yOff + n;
                        double sumAbs = inside ? Math.abs(alpha * x[xOff + i - yOff]) + Math.abs(y0[i]) : 0;
                        Tolerance.assertClose(yRef[i], yFast[i], 1, sumAbs, ctx("axpy", n, xOff, yOff, seed) + " i=" + i);
                    }
                });
    }

    @Test
    void binaryOpsAreBitwiseEqualForEveryBroadcastPattern() {
        qt().withExamples(EXAMPLES)
                .forAll(Generate.enumValues(BinaryOp.class), EdgeSizes.sizes(0, 300),
                        Generate.range(0, 2).zip(EdgeSizes.offsets(), (p, o) -> new int[]{p, o}), EdgeSizes.seeds())
                .checkAssert((op, n, patternAndOffset, seed) -> {
                    int pattern = patternAndOffset[0];
                    int off = patternAndOffset[1];
                    int aStride = pattern == 1 ? 0 : 1;
                    int bStride = pattern == 2 ? 0 : 1;
                    float[] a = FloatData.withSpecials(seed, off + n + 1);
                    float[] b = FloatData.withSpecials(seed + 11, n + 1);
                    float[] ref = new float[n + off];
                    float[] fast = new float[n + off];
                    REF.binary(op, a, off, aStride, b, 0, bStride, ref, off, n);
                    FAST.binary(op, a, off, aStride, b, 0, bStride, fast, off, n);
                    for (int i = 0; i < ref.length; i++) {
                        Tolerance.assertSame(ref[i], fast[i], ctx("binary " + op + " strides " + aStride + "," + bStride,
                                n, off, 0, seed) + " i=" + i);
                    }
                });
    }

    @Test
    void binaryInPlaceEqualsOutOfPlace() {
        qt().withExamples(100).forAll(Generate.enumValues(BinaryOp.class), EdgeSizes.sizes(0, 200), EdgeSizes.seeds())
                .checkAssert((op, n, seed) -> {
                    float[] a = FloatData.uniform(seed, n);
                    float[] b = FloatData.uniform(seed + 1, n);
                    float[] expected = new float[n];
                    REF.binary(op, a, 0, 1, b, 0, 1, expected, 0, n);
                    FAST.binary(op, a, 0, 1, b, 0, 1, a, 0, n);
                    for (int i = 0; i < n; i++) {
                        Tolerance.assertSame(expected[i], a[i], ctx("binary in place " + op, n, 0, 0, seed) + " i=" + i);
                    }
                });
    }

    @Test
    void reluIsBitwiseEqualIncludingSpecials() {
        qt().withExamples(EXAMPLES).forAll(EdgeSizes.sizes(0, 300), EdgeSizes.offsets(), EdgeSizes.offsets(), EdgeSizes.seeds())
                .checkAssert((n, xOff, yOff, seed) -> {
                    float[] x = FloatData.withSpecials(seed, xOff + n);
                    float[] ref = new float[yOff + n];
                    float[] fast = new float[yOff + n];
                    REF.relu(x, xOff, ref, yOff, n);
                    FAST.relu(x, xOff, fast, yOff, n);
                    for (int i = 0; i < ref.length; i++) {
                        Tolerance.assertSame(ref[i], fast[i], ctx("relu", n, xOff, yOff, seed) + " i=" + i);
                    }
                });
    }

    @Test
    void expIsWithinTwoUlpOnRandomInputs() {
        qt().withExamples(EXAMPLES).forAll(EdgeSizes.sizes(0, 300), EdgeSizes.offsets(), EdgeSizes.seeds())
                .checkAssert((n, off, seed) -> {
                    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
                    float[] x = new float[off + n];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) r.nextDouble(-105, 90);
                    }
                    float[] ref = new float[n];
                    float[] fast = new float[n];
                    REF.exp(x, off, ref, 0, n);
                    FAST.exp(x, off, fast, 0, n);
                    for (int i = 0; i < n; i++) {
                        long ulps = Tolerance.ulpDistance(ref[i], fast[i]);
                        if (ulps > 2) {
                            throw new AssertionError(ctx("exp", n, off, 0, seed) + " x=" + x[off + i] + ": expected "
                                    + ref[i] + " but was " + fast[i] + " (" + ulps + " ulp)");
                        }
                    }
                });
    }

    @Test
    void badRangesFailWithTheirNameAndNeverWrite() {
        float[] a = new float[10];
        float[] c = new float[10];
        var e = org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class,
                () -> FAST.binary(BinaryOp.ADD, a, 0, 1, a, 0, 1, c, 5, 6));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("binary c"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FAST.binary(BinaryOp.ADD, a, 0, 2, a, 0, 1, c, 0, 4));
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class, () -> FAST.dot(a, -1, a, 0, 3));
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class, () -> FAST.exp(a, 0, c, 0, 11));
        for (float v : c) {
            org.junit.jupiter.api.Assertions.assertEquals(0f, v);
        }
    }
}
