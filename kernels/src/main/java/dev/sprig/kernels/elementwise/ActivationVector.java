package dev.sprig.kernels.elementwise;

import dev.sprig.kernels.Ranges;
import dev.sprig.kernels.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API activations, built on {@link ExpVector#exp(FloatVector)} (within 2 ulp). Error
 * bounds asserted by {@code ActivationAccuracyTest} against the double-precision reference over
 * every 997th float bit pattern (all signs and exponents) and a dense sweep of [-12, 12], exact at
 * the limits (+-0, +-Inf, NaN); worst cases measured there in brackets:
 * <ul>
 *   <li>sigmoid: {@code 1 / (1 + e^-|x|)}, times {@code e^-|x|} for negative x (no overflow);
 *       within 3 ulp [2 ulp];</li>
 *   <li>tanh: the odd Taylor polynomial to x^15 below |x| = 0.5 (truncation 1e-8 relative),
 *       {@code 1 - 2 / (e^2|x| + 1)} above; within 3 ulp [2 ulp];</li>
 *   <li>erf: the Taylor polynomial to z^13 below |z| = 0.5, {@code 1 - erfc(|z|)} above, with
 *       erfc from the fitted form {@code t e^(-z^2 + P(t))}, t = 1/(1 + z/2) (fractional error
 *       1.2e-7 in exact arithmetic; the coefficients of Numerical Recipes' erfcc), z^2 split
 *       exactly with an FMA; within 1e-6 relative [3.4e-7, 3 ulp];</li>
 *   <li>gelu (exact): {@code x/2 * erfc(-x / sqrt 2)}, free of the cancellation of
 *       {@code 1 + erf} for negative x; within 1e-6 relative where |result| >= 1e-30 [4.7e-7];</li>
 *   <li>geluTanh: {@code x * sigmoid(2 sqrt(2/pi) (x + 0.044715 x^3))}, the tanh form's value
 *       without its cancellation; within 2e-5 relative where |result| >= 1e-30 [1.0e-5, at
 *       x near -9 where the result is 1e-30 and e^u amplifies the argument's rounding by |u| = 70].</li>
 * </ul>
 */
public final class ActivationVector implements ActivationKernels {

    private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    private static final int W = F.length();

    private static final float SQRT_HALF = 0.70710678118654752f;
    private static final float TWO_OVER_SQRT_PI = 1.1283791670955126f;
    private static final float GELU_2K = 2 * 0.7978845608028654f;
    /** Beyond this erfc(z) is below the smallest float: clamping keeps inf * 0 out of the arithmetic. */
    private static final float ERFC_CLAMP = 10.5f;

    @Override
    public void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        Ranges.check("sigmoid x", xOff, n, x.length);
        Ranges.check("sigmoid y", yOff, n, y.length);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += W) {
            sigmoid(FloatVector.fromArray(F, x, xOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            sigmoid(FloatVector.fromArray(F, x, xOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    @Override
    public void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        Ranges.check("tanh x", xOff, n, x.length);
        Ranges.check("tanh y", yOff, n, y.length);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += W) {
            tanh(FloatVector.fromArray(F, x, xOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            tanh(FloatVector.fromArray(F, x, xOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    @Override
    public void erf(float[] x, int xOff, float[] y, int yOff, int n) {
        Ranges.check("erf x", xOff, n, x.length);
        Ranges.check("erf y", yOff, n, y.length);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += W) {
            erf(FloatVector.fromArray(F, x, xOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            erf(FloatVector.fromArray(F, x, xOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    @Override
    public void gelu(float[] x, int xOff, float[] y, int yOff, int n) {
        Ranges.check("gelu x", xOff, n, x.length);
        Ranges.check("gelu y", yOff, n, y.length);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += W) {
            gelu(FloatVector.fromArray(F, x, xOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            gelu(FloatVector.fromArray(F, x, xOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    @Override
    public void geluTanh(float[] x, int xOff, float[] y, int yOff, int n) {
        Ranges.check("geluTanh x", xOff, n, x.length);
        Ranges.check("geluTanh y", yOff, n, y.length);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += W) {
            geluTanh(FloatVector.fromArray(F, x, xOff + i)).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = F.indexInRange(i, n);
            geluTanh(FloatVector.fromArray(F, x, xOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    /** Sigmoid of every lane. */
    public static FloatVector sigmoid(FloatVector x) {
        // e = e^-|x| never overflows: 1/(1+e) for x >= 0, e/(1+e) for x < 0 (1/(1+e^-x) turned
        // e^88.8 into +Inf and results down to 1e-39 into 0)
        FloatVector e = ExpVector.exp(x.abs().neg());
        FloatVector r = FloatVector.broadcast(F, 1f).div(e.add(1f));
        return r.blend(e.mul(r), x.lt(0f));
    }

    /** tanh of every lane. */
    public static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector x2 = x.mul(x);
        FloatVector p = x2.fma(FloatVector.broadcast(F, -929569f / 638512875f), FloatVector.broadcast(F, 21844f / 6081075f));
        p = p.fma(x2, FloatVector.broadcast(F, -1382f / 155925f));
        p = p.fma(x2, FloatVector.broadcast(F, 62f / 2835f));
        p = p.fma(x2, FloatVector.broadcast(F, -17f / 315f));
        p = p.fma(x2, FloatVector.broadcast(F, 2f / 15f));
        p = p.fma(x2, FloatVector.broadcast(F, -1f / 3f));
        // x + x^3 p; at x = -0 that sum is +0, so zeros pass through as they are
        FloatVector small = x.mul(x2).fma(p, x).blend(x, x.eq(0f));
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector big = one.sub(FloatVector.broadcast(F, 2f).div(ExpVector.exp(a.add(a)).add(one)));
        big = big.blend(big.neg(), x.lt(0f));
        return small.blend(big, a.compare(VectorOperators.GE, 0.5f));
    }

    /** erf of every lane. */
    public static FloatVector erf(FloatVector z) {
        FloatVector a = z.abs();
        FloatVector z2 = z.mul(z);
        FloatVector p = z2.fma(FloatVector.broadcast(F, 1f / 9360f), FloatVector.broadcast(F, -1f / 1320f));
        p = p.fma(z2, FloatVector.broadcast(F, 1f / 216f));
        p = p.fma(z2, FloatVector.broadcast(F, -1f / 42f));
        p = p.fma(z2, FloatVector.broadcast(F, 1f / 10f));
        p = p.fma(z2, FloatVector.broadcast(F, -1f / 3f));
        p = p.fma(z2, FloatVector.broadcast(F, 1f));
        // scale the polynomial, not z: for subnormal z a second rounding would cost ulps
        FloatVector small = z.mul(p.mul(TWO_OVER_SQRT_PI));
        FloatVector hi = a.mul(a);
        FloatVector big = FloatVector.broadcast(F, 1f).sub(erfcAbs(a, hi, a.fma(a, hi.neg())));
        big = big.blend(big.neg(), z.lt(0f));
        return small.blend(big, a.compare(VectorOperators.GE, 0.5f));
    }

    /** Exact GELU of every lane. */
    public static FloatVector gelu(FloatVector x) {
        // z^2 = x^2 / 2 from the exact split of x^2: squaring a rounded x / sqrt 2 put an error of
        // 1e-5 relative into erfc at x = -11
        FloatVector hi = x.mul(x);
        FloatVector lo = x.fma(x, hi.neg()).mul(0.5f);
        FloatVector e = erfcAbs(x.mul(SQRT_HALF).abs(), hi.mul(0.5f), lo);
        // erfc(-z) = 2 - erfc(z) for z >= 0, and erfc(|z|) itself for z < 0
        FloatVector factor = FloatVector.broadcast(F, 2f).sub(e).blend(e, x.lt(0f));
        FloatVector r = x.mul(0.5f).mul(factor);
        return r.blend(FloatVector.broadcast(F, -0f), x.eq(Float.NEGATIVE_INFINITY));
    }

    /** GELU's tanh form of every lane. */
    public static FloatVector geluTanh(FloatVector x) {
        FloatVector u = x.mul(x).mul(x).fma(FloatVector.broadcast(F, 0.044715f), x).mul(GELU_2K);
        FloatVector r = x.mul(sigmoid(u));
        return r.blend(FloatVector.broadcast(F, -0f), x.eq(Float.NEGATIVE_INFINITY));
    }

    /**
     * erfc of lanes {@code a >= 0} (or NaN), given {@code a^2 = hi + lo} exactly: rounding a^2 to
     * float would put an error of a^2 * 6e-8 into the exponent, 6e-6 relative at a = 10.
     */
    private static FloatVector erfcAbs(FloatVector a, FloatVector hi, FloatVector lo) {
        VectorMask<Float> clamp = a.compare(VectorOperators.GT, ERFC_CLAMP);
        FloatVector ac = a.min(ERFC_CLAMP);
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector t = one.div(ac.fma(FloatVector.broadcast(F, 0.5f), one));
        FloatVector p = t.fma(FloatVector.broadcast(F, 0.17087277f), FloatVector.broadcast(F, -0.82215223f));
        p = p.fma(t, FloatVector.broadcast(F, 1.48851587f));
        p = p.fma(t, FloatVector.broadcast(F, -1.13520398f));
        p = p.fma(t, FloatVector.broadcast(F, 0.27886807f));
        p = p.fma(t, FloatVector.broadcast(F, -0.18628806f));
        p = p.fma(t, FloatVector.broadcast(F, 0.09678418f));
        p = p.fma(t, FloatVector.broadcast(F, 0.37409196f));
        p = p.fma(t, FloatVector.broadcast(F, 1.00002368f));
        p = p.fma(t, FloatVector.broadcast(F, -1.26551223f));
        // e^(-a^2 + p) with -a^2 = -hi - lo kept as a two-part exponent (one exp: two cost 2.2x in
        // ActivationBenchmark.gelu); past the clamp the result is 0 (and inf * 0 stays out of the arithmetic)
        FloatVector r = t.mul(ExpVector.exp(hi.neg(), p.sub(lo)));
        return r.blend(FloatVector.zero(F), clamp);
    }
}
