package dev.sprig.kernels.elementwise;

import static org.quicktheories.QuickTheory.qt;

import dev.sprig.kernels.KernelProvider;
import dev.sprig.kernels.reference.Activations;
import dev.sprig.kernels.testing.EdgeSizes;
import dev.sprig.kernels.testing.FloatData;
import dev.sprig.kernels.testing.Tolerance;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The error bounds stated in {@link ActivationVector}'s Javadoc, measured against the
 * double-precision reference over every 997th float bit pattern (every sign and exponent), a
 * dense uniform sweep of [-12, 12], and the special values; then random lengths and offsets for
 * the masked tails. Each function's worst case is printed.
 */
class ActivationAccuracyTest {

    private static final ActivationKernels FAST = KernelProvider.backend().activations();

    /** One function under test with its bound: |d| <= ulps (in ulp) or <= rel * |ref|. */
    private record Fn(String name, Op fast, Op ref, long ulps, double rel, double floor) {
    }

    @FunctionalInterface
    private interface Op {
        void apply(float[] x, int xOff, float[] y, int yOff, int n);
    }

    private static final Fn[] FNS = {
        new Fn("sigmoid", FAST::sigmoid, Activations::sigmoid, 3, 0, 0),
        new Fn("tanh", FAST::tanh, Activations::tanh, 3, 0, 0),
        new Fn("erf", FAST::erf, Activations::erf, 0, 1e-6, 0),
        new Fn("gelu", FAST::gelu, Activations::gelu, 0, 1e-6, 1e-30),
        new Fn("geluTanh", FAST::geluTanh, Activations::geluTanh, 0, 2e-5, 1e-30),
    };

    private static float[] sweep() {
        int stride = 997;
        int count = (int) ((1L << 32) / stride) + 1;
        int dense = 240_001;
        float[] x = new float[count + dense + FloatData.SPECIALS.length];
        int n = 0;
        for (long bits = 0; bits <= 0xFFFF_FFFFL; bits += stride) {
            x[n++] = Float.intBitsToFloat((int) bits);
        }
        for (int i = 0; i < dense; i++) {
            x[n++] = -12f + i * 1e-4f;
        }
        for (float s : FloatData.SPECIALS) {
            x[n++] = s;
        }
        return java.util.Arrays.copyOf(x, n);
    }

    /** Empty when within the bound, else a description of the failure. */
    private static String violation(Fn f, float x, float ref, float got) {
        if (Float.isNaN(ref) || Float.isInfinite(ref) || ref == 0f) {
            return Float.compare(ref, got) == 0 || (ref == 0f && got == 0f && f.floor > 0) ? ""
                    : f.name + "(" + x + "): expected " + ref + " but was " + got;
        }
        if (f.ulps > 0) {
            long u = Tolerance.ulpDistance(ref, got);
            return u <= f.ulps ? "" : f.name + "(" + x + "): expected " + ref + " but was " + got + " (" + u + " ulp)";
        }
        double d = Math.abs((double) ref - got);
        if (Tolerance.ulpDistance(ref, got) <= 1) {
            return ""; // one ulp is always allowed: it is a large relative error only for subnormals
        }
        if (Math.abs(ref) < f.floor) {
            return d <= f.floor ? "" : f.name + "(" + x + "): expected " + ref + " but was " + got;
        }
        return d <= f.rel * Math.abs(ref) ? "" : f.name + "(" + x + "): expected " + ref + " but was " + got
                + " (relative error " + d / Math.abs(ref) + " > " + f.rel + ")";
    }

    @Test
    void withinTheStatedBoundsOverTheWholeFloatRange() {
        float[] x = sweep();
        float[] ref = new float[x.length];
        float[] got = new float[x.length];
        StringBuilder report = new StringBuilder();
        for (Fn f : FNS) {
            f.ref.apply(x, 0, ref, 0, x.length);
            f.fast.apply(x, 0, got, 0, x.length);
            double worstRel = 0;
            long worstUlp = 0;
            for (int i = 0; i < x.length; i++) {
                String v = violation(f, x[i], ref[i], got[i]);
                if (!v.isEmpty()) {
                    throw new AssertionError(v + " [" + KernelProvider.describe() + "]");
                }
                if (Float.isFinite(ref[i]) && Math.abs(ref[i]) >= Math.max(f.floor, Float.MIN_NORMAL)) {
                    worstRel = Math.max(worstRel, Math.abs((double) ref[i] - got[i]) / Math.abs(ref[i]));
                    worstUlp = Math.max(worstUlp, Tolerance.ulpDistance(ref[i], got[i]));
                }
            }
            report.append(String.format(Locale.ROOT, "%s: worst %d ulp, %.2e relative; ", f.name, worstUlp, worstRel));
        }
        System.out.println("activation accuracy [" + FAST.getClass().getSimpleName() + "]: " + report);
    }

    @Test
    void tailsAndOffsetsMatchTheBodies() {
        qt().withExamples(200).forAll(EdgeSizes.sizes(0, 300), EdgeSizes.offsets(), EdgeSizes.offsets(), EdgeSizes.seeds())
                .checkAssert((n, xOff, yOff, seed) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    float[] x = new float[xOff + n];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) r.nextDouble(-9, 9);
                    }
                    for (Fn f : FNS) {
                        float[] ref = new float[yOff + n + 1];
                        float[] got = new float[yOff + n + 1];
                        f.ref.apply(x, xOff, ref, yOff, n);
                        f.fast.apply(x, xOff, got, yOff, n);
                        for (int i = 0; i < got.length; i++) {
                            boolean inside = i >= yOff && i < yOff + n;
                            String v = inside ? violation(f, x[xOff + i - yOff], ref[i], got[i])
                                    : got[i] == 0f ? "" : f.name + " wrote outside its range at " + i;
                            if (!v.isEmpty()) {
                                throw new AssertionError(v + " n=" + n + " xOff=" + xOff + " yOff=" + yOff + " seed=" + seed);
                            }
                        }
                    }
                });
    }
}
