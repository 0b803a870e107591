package dev.sprig.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LeastSquaresTest {

    /** Solves a small dense system by Gaussian elimination with partial pivoting: an independent oracle. */
    private static double[] gauss(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][n + 1];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n] = b[i];
        }
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) {
                    piv = r;
                }
            }
            double[] t = m[c];
            m[c] = m[piv];
            m[piv] = t;
            for (int r = c + 1; r < n; r++) {
                double f = m[r][c] / m[c][c];
                for (int k = c; k <= n; k++) {
                    m[r][k] -= f * m[c][k];
                }
            }
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double v = m[i][n];
            for (int k = i + 1; k < n; k++) {
                v -= m[i][k] * x[k];
            }
            x[i] = v / m[i][i];
        }
        return x;
    }

    @Test
    void refitMatchesADirectNormalEquationSolve() {
        Random rnd = new Random(5);
        int n = 40;
        int p = 3;
        int d = 4;
        float[] xp = new float[n * p];
        float[] xd = new float[n * d];
        for (int i = 0; i < xd.length; i++) {
            xd[i] = (float) rnd.nextGaussian();
        }
        for (int r = 0; r < n; r++) {
            // the pruned model's features: a perturbed copy of the first three dense ones
            for (int k = 0; k < p; k++) {
                xp[r * p + k] = xd[r * d + k] + (float) (0.1 * rnd.nextGaussian());
            }
        }
        float[] wd = {0.5f, -1.25f, 2f, 0.75f};
        double bd = 0.3;
        boolean[] keep = {true, false, true};
        double ridge = 1e-2;
        float[] w0 = {0.4f, 0f, 1.5f};
        NormalEquations ne = new NormalEquations(p, d);
        ne.add(xp, xd, n);
        double[] got = LeastSquares.refitRow(ne, wd, bd, keep, w0, true, ridge);

        // direct: unknowns (w0, w2, b); design rows [xp0, xp2, 1]; targets xd.wd + bd
        double meanDiag = 0;
        for (int k = 0; k < p; k++) {
            for (int r = 0; r < n; r++) {
                meanDiag += (double) xp[r * p + k] * xp[r * p + k];
            }
        }
        double lambda = ridge * meanDiag / p;
        double[][] a = new double[3][3];
        double[] rhs = new double[3];
        for (int r = 0; r < n; r++) {
            double[] row = {xp[r * p], xp[r * p + 2], 1};
            double y = bd;
            for (int k = 0; k < d; k++) {
                y += (double) xd[r * d + k] * wd[k];
            }
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    a[i][j] += row[i] * row[j];
                }
                rhs[i] += row[i] * y;
            }
        }
        a[0][0] += lambda;
        a[1][1] += lambda;
        rhs[0] += lambda * w0[0];
        rhs[1] += lambda * w0[2];
        double[] expected = gauss(a, rhs);
        for (int i = 0; i < 3; i++) {
            assertEquals(expected[i], got[i], 1e-9 * (1 + Math.abs(expected[i])), "unknown " + i);
        }
    }

    @Test
    void anExactlyRepresentableTargetIsRecovered() {
        // y = X w* with the pruned column's weight already 0: the refit must give w* back (no ridge)
        Random rnd = new Random(9);
        int n = 30;
        int p = 4;
        float[] x = new float[n * p];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        float[] w = {1.5f, 0f, -2f, 0.25f};
        NormalEquations ne = new NormalEquations(p, p);
        ne.add(x, x, n);
        double[] got = LeastSquares.refitRow(ne, w, 0, new boolean[]{true, false, true, true}, null, false, 0);
        assertEquals(1.5, got[0], 1e-9);
        assertEquals(-2, got[1], 1e-9);
        assertEquals(0.25, got[2], 1e-9);
    }
}
