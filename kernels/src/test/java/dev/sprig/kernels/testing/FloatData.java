package dev.sprig.kernels.testing;

import java.util.SplittableRandom;

/** Seeded test data: reproducible from the seed a failing case prints. */
public final class FloatData {

    /** Special values mixed into arrays by {@link #withSpecials}. */
    public static final float[] SPECIALS = {
        0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f
    };

    private FloatData() {
    }

    /** {@code n} values uniform in [-1, 1), mixed signs and magnitudes (some exact zeros). */
    public static float[] uniform(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextInt(16) == 0 ? 0f : (float) (r.nextDouble() * 2 - 1);
        }
        return a;
    }

    /** Small integers in [-23, 23]: products and sums stay exact in float for short reductions. */
    public static float[] smallIntegers(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextInt(47) - 23;
        }
        return a;
    }

    /** Uniform values with about one in eight replaced by a special value (NaN, +-Inf, +-0...). */
    public static float[] withSpecials(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        float[] a = uniform(seed, n);
        for (int i = 0; i < n; i++) {
            if (r.nextInt(8) == 0) {
                a[i] = SPECIALS[r.nextInt(SPECIALS.length)];
            }
        }
        return a;
    }
}
