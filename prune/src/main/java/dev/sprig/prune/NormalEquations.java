package dev.sprig.prune;

import java.util.Arrays;

/**
 * Sufficient statistics, in double, for refitting one layer: with {@code Xp} the layer's feature
 * rows in the pruned model ({@code p} wide) and {@code Xd} the same rows in the dense model
 * ({@code d} wide), it holds {@code H = Xp^T Xp}, {@code C = Xp^T Xd}, the column sums of both and
 * the row count. The dense layer's output {@code Xd w + b} is the target, so no output is stored.
 */
final class NormalEquations {

    final int p;
    final int d;
    final double[] h;
    final double[] c;
    final double[] sumP;
    final double[] sumD;
    long rows;

    NormalEquations(int p, int d) {
        this.p = p;
        this.d = d;
        this.h = new double[p * p];
        this.c = new double[p * d];
        this.sumP = new double[p];
        this.sumD = new double[d];
    }

    /** Adds {@code n} rows of pruned ({@code xp}, n x p) and dense ({@code xd}, n x d) features. */
    void add(float[] xp, float[] xd, int n) {
        if (xp.length != n * p || xd.length != n * d) {
            throw new IllegalArgumentException("feature rows: expected " + n + "x" + p + " and " + n + "x" + d
                    + ", got " + xp.length + " and " + xd.length + " values");
        }
        double[][] tp = transpose(xp, n, p);
        boolean same = p == d && Arrays.equals(xp, xd);
        double[][] td = same ? tp : transpose(xd, n, d);
        for (int i = 0; i < p; i++) {
            for (int j = i; j < p; j++) {
                double v = dot(tp[i], tp[j], n);
                h[i * p + j] += v;
                if (j != i) {
                    h[j * p + i] += v;
                }
                if (same) {
                    c[i * d + j] += v;
                    if (j != i) {
                        c[j * d + i] += v;
                    }
                }
            }
            if (!same) {
                for (int k = 0; k < d; k++) {
                    c[i * d + k] += dot(tp[i], td[k], n);
                }
            }
            sumP[i] += sum(tp[i], n);
        }
        for (int k = 0; k < d; k++) {
            sumD[k] += sum(td[k], n);
        }
        rows += n;
    }

    private static double[][] transpose(float[] x, int n, int width) {
        double[][] t = new double[width][n];
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < width; k++) {
                t[k][r] = x[r * width + k];
            }
        }
        return t;
    }

    // four partial sums: independent chains the JIT can overlap
    private static double dot(double[] a, double[] b, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < n; i++) {
            s0 += a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static double sum(double[] a, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a[i];
        }
        return s;
    }
}
