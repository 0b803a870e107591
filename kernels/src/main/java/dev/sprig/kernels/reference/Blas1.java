package dev.sprig.kernels.reference;

import dev.sprig.kernels.Ranges;

/** Reference vector-vector kernels: the plain loops the vectorised twins are tested against. */
public final class Blas1 {

    private Blas1() {
    }

    /** Returns {@code sum(a[aOff+i] * b[bOff+i])}, summed left to right. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        Ranges.check("dot a", aOff, n, a.length);
        Ranges.check("dot b", bOff, n, b.length);
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    /** {@code y[yOff+i] += alpha * x[xOff+i]}. */
    public static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        Ranges.check("axpy x", xOff, n, x.length);
        Ranges.check("axpy y", yOff, n, y.length);
        for (int i = 0; i < n; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }
}
