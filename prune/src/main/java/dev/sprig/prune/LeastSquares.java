package dev.sprig.prune;

/**
 * The refit of one output row: minimise {@code ||Xp[:,S] w + b' - (Xd wd + b)||^2 + lambda ||w - w0||^2}
 * over the kept columns {@code S} (and the bias {@code b'} when the layer has one, unpenalised), by
 * the normal equations solved with a Cholesky factorisation in double. {@code lambda} is the
 * relative ridge times the mean diagonal of {@code H}, so it does not depend on the input scale.
 * The ridge pulls towards the pruned weights {@code w0}, not towards zero: a feature the calibration
 * data never excites (a dead ReLU channel) keeps its weight instead of losing it.
 */
final class LeastSquares {

    private LeastSquares() {
    }

    /**
     * The refitted kept weights in column order, followed by the new bias when {@code withBias}.
     *
     * @param denseRow  the dense layer's row {@code wd} (length d)
     * @param denseBias the dense bias for this row (0 when the layer has none)
     * @param keep      which of the p pruned-model columns are free (false: fixed at 0)
     * @param start     the pruned row {@code w0} (length p) the ridge pulls towards; null for zero
     */
    static double[] refitRow(NormalEquations ne, float[] denseRow, double denseBias, boolean[] keep,
                             float[] start, boolean withBias, double ridge) {
        int p = ne.p;
        int d = ne.d;
        int[] idx = new int[p];
        int s = 0;
        for (int i = 0; i < p; i++) {
            if (keep[i]) {
                idx[s++] = i;
            }
        }
        int size = s + (withBias ? 1 : 0);
        double[] a = new double[size * size];
        double[] rhs = new double[size];
        double meanDiag = 0;
        for (int i = 0; i < p; i++) {
            meanDiag += ne.h[i * p + i];
        }
        meanDiag = p == 0 ? 0 : meanDiag / p;
        double lambda = ridge * (meanDiag > 0 ? meanDiag : 1);
        for (int u = 0; u < s; u++) {
            int i = idx[u];
            for (int v = 0; v < s; v++) {
                a[u * size + v] = ne.h[i * p + idx[v]];
            }
            a[u * size + u] += lambda;
            double t = 0;
            for (int k = 0; k < d; k++) {
                t += ne.c[i * d + k] * denseRow[k];
            }
            rhs[u] = t + ne.sumP[i] * denseBias + (start == null ? 0 : lambda * start[i]);
        }
        if (withBias) {
            for (int u = 0; u < s; u++) {
                a[u * size + s] = ne.sumP[idx[u]];
                a[s * size + u] = ne.sumP[idx[u]];
            }
            a[s * size + s] = ne.rows;
            double t = 0;
            for (int k = 0; k < d; k++) {
                t += ne.sumD[k] * denseRow[k];
            }
            rhs[s] = t + ne.rows * denseBias;
        }
        return solveSpd(a, rhs, size);
    }

    /**
     * Solves {@code A x = b} for a symmetric positive definite {@code A} (n x n, row-major; both
     * overwritten) by Cholesky {@code A = L L^T}. A pivot that is not positive (A singular in
     * floating point) gets a tiny diagonal loading, retried with growing size.
     */
    static double[] solveSpd(double[] a, double[] b, int n) {
        double[] original = a.clone();
        double scale = 0;
        for (int i = 0; i < n; i++) {
            scale = Math.max(scale, Math.abs(a[i * n + i]));
        }
        scale = scale > 0 ? scale : 1;
        for (double load = 0; ; load = load == 0 ? 1e-12 * scale : load * 100) {
            double[] l = original.clone();
            for (int i = 0; i < n; i++) {
                l[i * n + i] += load;
            }
            if (cholesky(l, n)) {
                return substitute(l, b.clone(), n);
            }
            if (load > scale) {
                throw new IllegalStateException("normal equations of size " + n + " are not positive definite"
                        + " even with diagonal loading " + load);
            }
        }
    }

    /** In-place lower Cholesky factor; false when a pivot is not positive. */
    private static boolean cholesky(double[] a, int n) {
        for (int j = 0; j < n; j++) {
            double diag = a[j * n + j];
            for (int k = 0; k < j; k++) {
                diag -= a[j * n + k] * a[j * n + k];
            }
            if (!(diag > 0)) {
                return false;
            }
            double ljj = Math.sqrt(diag);
            a[j * n + j] = ljj;
            for (int i = j + 1; i < n; i++) {
                double v = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    v -= a[i * n + k] * a[j * n + k];
                }
                a[i * n + j] = v / ljj;
            }
        }
        return true;
    }

    /** x from L L^T x = b: forward then backward substitution. */
    private static double[] substitute(double[] l, double[] b, int n) {
        for (int i = 0; i < n; i++) {
            double v = b[i];
            for (int k = 0; k < i; k++) {
                v -= l[i * n + k] * b[k];
            }
            b[i] = v / l[i * n + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double v = b[i];
            for (int k = i + 1; k < n; k++) {
                v -= l[k * n + i] * b[k];
            }
            b[i] = v / l[i * n + i];
        }
        return b;
    }
}
