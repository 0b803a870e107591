package dev.sprig.kernels.elementwise;

import dev.sprig.kernels.Ranges;
import dev.sprig.kernels.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vectorised {@code e^x}: within 2 ulp of {@code (float) Math.exp(x)} for every float (the test
 * sweeps the whole range and the edges).
 *
 * <p>Method: {@code e^x = 2^n * e^r} with {@code n = round(x / ln 2)} and
 * {@code r = x - n ln 2} in [-ln2/2, ln2/2], the subtraction done in two steps (Cody-Waite:
 * {@code LN2_HI} has 9 significant bits so {@code n * LN2_HI} is exact). {@code e^r} is the
 * degree-7 Taylor polynomial: its truncation error on that interval, {@code r^8/8! < 5.2e-9}, is under a
 * tenth of an ulp. The scale {@code 2^n} is applied as two factors {@code 2^(n/2)} so that both
 * stay normal floats for n in [-159, 128]: results in the subnormal range round once, and overflow
 * comes out as +Inf without a special case. Inputs are first clamped to [-110, 89], beyond which
 * the float result is +0 or +Inf anyway; NaN passes through the clamp and the arithmetic.
 */
public final class ExpVector {

    private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    private static final int W = F.length();

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds to an integer held in the low mantissa bits. */
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    private static final float MIN_X = -110f;
    private static final float MAX_X = 89f;

    private static final float C2 = 1f / 2;
    private static final float C3 = 1f / 6;
    private static final float C4 = 1f / 24;
    private static final float C5 = 1f / 120;
    private static final float C6 = 1f / 720;
    private static final float C7 = 1f / 5040;

    private ExpVector() {
    }

    /** {@code y = e^x} elementwise. */
    public static void exp(float[] x, int xOff, float[] y, int yOff, int n) {
        Ranges.check("exp x", xOff, n, x.length);
        Ranges.check("exp y", yOff, n, y.length);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += W) {
            exp(FloatVector.fromArray(F, x, xOff + i)).intoArray(y, yOff + i);
        }
        // masked tail: the polynomial must give the same answer in the last lanes as in the body
        if (i < n) {
            var mask = F.indexInRange(i, n);
            exp(FloatVector.fromArray(F, x, xOff + i, mask)).intoArray(y, yOff + i, mask);
        }
    }

    /**
     * {@code e^x} of every lane of a vector of the {@link VectorWidth#FLOAT} species; usable inside
     * other fused kernels (softmax, sigmoid, GELU).
     */
    public static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(MIN_X).min(MAX_X);
        FloatVector t = xc.fma(LOG2E, ROUNDER);
        FloatVector nf = t.sub(ROUNDER);
        FloatVector r = nf.fma(FloatVector.broadcast(F, -LN2_HI), xc);
        r = nf.fma(FloatVector.broadcast(F, -LN2_LO), r);
        return scaled(r, t);
    }

    /**
     * {@code e^(hi + lo)} for an exponent given as an unevaluated sum, {@code |lo|} small against
     * the spacing of {@code hi}'s ulps (a few units): {@code lo} joins the reduced argument after the
     * Cody-Waite steps, so an exponent such as {@code -a^2 + p(a)} (erfc) keeps the bits that
     * rounding {@code hi + lo} to one float would lose (6e-6 relative at a^2 = 100), with one
     * exponential instead of {@code e^hi * e^lo}'s two.
     */
    public static FloatVector exp(FloatVector hi, FloatVector lo) {
        FloatVector hc = hi.max(MIN_X).min(MAX_X);
        FloatVector t = hc.add(lo).fma(LOG2E, ROUNDER);
        FloatVector nf = t.sub(ROUNDER);
        FloatVector r = nf.fma(FloatVector.broadcast(F, -LN2_HI), hc);
        r = nf.fma(FloatVector.broadcast(F, -LN2_LO), r).add(lo);
        return scaled(r, t);
    }

    /** {@code e^r * 2^n}: the polynomial on the reduced argument r, n in the low bits of t. */
    private static FloatVector scaled(FloatVector r, FloatVector t) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector p = r.fma(C7, C6);
        p = p.fma(r, FloatVector.broadcast(F, C5));
        p = p.fma(r, FloatVector.broadcast(F, C4));
        p = p.fma(r, FloatVector.broadcast(F, C3));
        p = p.fma(r, FloatVector.broadcast(F, C2));
        p = p.fma(r, one);
        p = p.fma(r, one);
        IntVector n = t.reinterpretAsInts().sub(ROUNDER_BITS);
        IntVector n1 = n.lanewise(VectorOperators.ASHR, 1);
        IntVector n2 = n.sub(n1);
        FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(s1).mul(s2);
    }
}
