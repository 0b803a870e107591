package dev.sprig.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sprig.kernels.testing.Tolerance;
import org.junit.jupiter.api.Test;

/**
 * The documented error bound of {@link KernelBackend#exp}: a sweep over float bit patterns (one in
 * every 251, both signs, every exponent) and the edges, against {@code (float) Math.exp}.
 */
class ExpAccuracyTest {

    private static final KernelBackend FAST = KernelProvider.backend();

    @Test
    void withinTwoUlpAcrossTheWholeFloatRange() {
        int chunk = 1 << 16;
        float[] x = new float[chunk];
        float[] fast = new float[chunk];
        long worst = 0;
        float worstX = 0;
        long bits = 0;
        while (bits <= 0xFFFF_FFFFL) {
            int n = 0;
            while (n < chunk && bits <= 0xFFFF_FFFFL) {
                x[n++] = Float.intBitsToFloat((int) bits);
                bits += 251;
            }
            FAST.exp(x, 0, fast, 0, n);
            for (int i = 0; i < n; i++) {
                float ref = (float) Math.exp(x[i]);
                long ulps = Tolerance.ulpDistance(ref, fast[i]);
                if (ulps > worst) {
                    worst = ulps;
                    worstX = x[i];
                }
            }
        }
        if (worst > 2) {
            throw new AssertionError("exp [" + FAST.name() + "] is " + worst + " ulp off at x = " + worstX);
        }
    }

    @Test
    void exactAtTheEdges() {
        float[] x = {0f, -0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN, 88.73f, 89f, 1000f,
            -103.98f, -104f, -110f, -1000f, -87.33655f, -100f, Float.MAX_VALUE, -Float.MAX_VALUE};
        float[] y = new float[x.length];
        FAST.exp(x, 0, y, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            float ref = (float) Math.exp(x[i]);
            if (Float.isNaN(ref) || Float.isInfinite(ref) || ref == 0f || ref == 1f) {
                assertEquals(ref, y[i], "exp(" + x[i] + ")");
            } else {
                long ulps = Tolerance.ulpDistance(ref, y[i]);
                if (ulps > 2) {
                    throw new AssertionError("exp(" + x[i] + "): expected " + ref + " but was " + y[i]);
                }
            }
        }
    }
}
