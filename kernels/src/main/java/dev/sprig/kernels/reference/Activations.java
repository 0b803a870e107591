package dev.sprig.kernels.reference;

import dev.sprig.kernels.Ranges;

/**
 * Reference activation functions: each element computed in double precision and rounded once to
 * float, so they are within half an ulp of the true value (except where noted). The oracle of
 * the vectorised activations, and the scalar backend's implementation.
 *
 * <p>Limits at infinity are the mathematical ones: sigmoid(-Inf) = 0, tanh(+-Inf) = +-1, erf(+-Inf)
 * = +-1, gelu(-Inf) = -0 (not the NaN of {@code -Inf * 0}), gelu(+Inf) = +Inf. NaN stays NaN.
 */
public final class Activations {

    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    /** sqrt(2/pi), the constant of the tanh form of GELU. */
    private static final double GELU_K = Math.sqrt(2 / Math.PI);

    private Activations() {
    }

    /** {@code 1 / (1 + e^-x)}. */
    public static void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        check("sigmoid", x, xOff, y, yOff, n);
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) sigmoid((double) x[xOff + i]);
        }
    }

    /** Hyperbolic tangent. */
    public static void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        check("tanh", x, xOff, y, yOff, n);
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) Math.tanh(x[xOff + i]);
        }
    }

    /** The error function. */
    public static void erf(float[] x, int xOff, float[] y, int yOff, int n) {
        check("erf", x, xOff, y, yOff, n);
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) erf((double) x[xOff + i]);
        }
    }

    /** Exact GELU, {@code x/2 * (1 + erf(x / sqrt 2))} (ONNX Gelu, approximate = "none"). */
    public static void gelu(float[] x, int xOff, float[] y, int yOff, int n) {
        check("gelu", x, xOff, y, yOff, n);
        for (int i = 0; i < n; i++) {
            double v = x[xOff + i];
            // x/2 * erfc(-x/sqrt2): no cancellation for negative x, where 1 + erf -> 0
            y[yOff + i] = v == Double.NEGATIVE_INFINITY ? -0f : (float) (0.5 * v * erfc(-v * SQRT_HALF));
        }
    }

    /**
     * GELU's tanh form (ONNX Gelu, approximate = "tanh"):
     * {@code x/2 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)))}, evaluated as
     * {@code x * sigmoid(2u)} (the same value, without cancellation for negative x).
     */
    public static void geluTanh(float[] x, int xOff, float[] y, int yOff, int n) {
        check("geluTanh", x, xOff, y, yOff, n);
        for (int i = 0; i < n; i++) {
            double v = x[xOff + i];
            double u = GELU_K * (v + 0.044715 * v * v * v);
            y[yOff + i] = v == Double.NEGATIVE_INFINITY ? -0f : (float) (v * sigmoid(2 * u));
        }
    }

    static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    /**
     * erf in double: the Maclaurin series below |x| = 3 (its largest term, about e^9, costs four
     * of the sixteen digits, leaving 1e-12), and 1 - erfc above.
     */
    public static double erf(double v) {
        if (Double.isNaN(v)) {
            return v;
        }
        double a = Math.abs(v);
        if (a >= 3) {
            return Math.copySign(1 - erfc(a), v);
        }
        // erf(x) = 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1))
        double x2 = a * a;
        double term = a;
        double sum = a;
        for (int n = 1; n < 200; n++) {
            term *= -x2 / n;
            double t = term / (2 * n + 1);
            sum += t;
            if (Math.abs(t) < 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        return Math.copySign(TWO_OVER_SQRT_PI * sum, v);
    }

    /**
     * erfc in double: {@code 1 - erf} below |x| = 3 (erfc >= 2e-5 there, so the subtraction keeps
     * eleven digits), and for x >= 3 the continued fraction
     * {@code e^-x^2 / sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))}, 80 levels, evaluated
     * from the bottom; for {@code x <= -3}, {@code 2 - erfc(-x)}.
     */
    public static double erfc(double v) {
        if (Double.isNaN(v)) {
            return v;
        }
        if (v < 3) {
            return v <= -3 ? 2 - erfc(-v) : 1 - erf(v);
        }
        if (v == Double.POSITIVE_INFINITY) {
            return 0;
        }
        double f = v;
        for (int k = 80; k >= 1; k--) {
            f = v + (k / 2.0) / f;
        }
        return Math.exp(-v * v) / Math.sqrt(Math.PI) / f;
    }

    private static void check(String name, float[] x, int xOff, float[] y, int yOff, int n) {
        Ranges.check(name + " x", xOff, n, x.length);
        Ranges.check(name + " y", yOff, n, y.length);
    }
}
