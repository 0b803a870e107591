package dev.sprig.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import dev.sprig.core.graph.ValueInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * NaN and infinities in the inputs of Conv, MatMul, Relu and Softmax (standard operators, through a
 * session) come out as the operators' definitions give them in IEEE arithmetic: the expected values
 * are computed here from the definitions in double, so a kernel that skips zero weights (0 x Inf),
 * clamps NaN to a number, or subtracts a max that is infinite shows up.
 */
class NonFiniteInputTest {

    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;

    /** One node {@code op} over inputs a (and b), on the standard operators, unoptimised. */
    private static float[] run(String op, Map<String, Tensor> inputs, Map<String, Tensor> constants) {
        List<ValueInfo> declared = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String name : List.of("a", "b")) {
            if (inputs.containsKey(name)) {
                declared.add(new ValueInfo(name, DType.FLOAT, null));
                names.add(name);
            } else if (constants.containsKey(name)) {
                names.add(name);
            }
        }
        Graph g = new Graph("g", List.of(Node.of("n", op, names, List.of("y"))), declared,
                List.of(new ValueInfo("y", DType.FLOAT, null)), constants, List.of());
        try (Session s = Session.create(new Model(g, Map.of("", 13), 8, "test"), SessionOptions.threads(2)
                .withOptimize(false))) {
            Tensor y = s.run(inputs).get("y").contiguous();
            float[] out = new float[y.size()];
            System.arraycopy(y.floatData(), y.offset(), out, 0, out.length);
            return out;
        }
    }

    /** NaN where the definition gives NaN, the same infinity, else within float rounding. */
    private static void assertDefinition(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": size");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            float a = actual[i];
            String at = what + " element " + i + ": expected " + e + ", got " + a;
            if (Double.isNaN(e)) {
                assertTrue(Float.isNaN(a), at);
            } else if (Double.isInfinite(e)) {
                assertEquals(e, a, at);
            } else {
                assertTrue(Math.abs(e - a) <= 1e-5 * (1 + Math.abs(e)), at);
            }
        }
    }

    @Test
    void matMulPropagatesNanAndInfinityAsTheSumOfProductsDoes() {
        // small enough to be written by hand, large enough (13 x 37 x 19) to reach the vector kernels
        for (int[] mkn : new int[][] {{4, 3, 2}, {13, 37, 19}}) {
            int m = mkn[0];
            int k = mkn[1];
            int n = mkn[2];
            Random r = new Random(m * 1000 + k);
            float[] a = new float[m * k];
            float[] b = new float[k * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = r.nextInt(7) - 3;
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = r.nextInt(7) - 3;
            }
            a[1] = NAN;                  // row 0 all NaN
            b[n + 1] = INF;              // column 1: +Inf where a[., 1] > 0, NaN where a[., 1] == 0
            b[1] = -INF;                 // column 1 also -Inf from row 0 of b: Inf - Inf -> NaN
            a[k] = 0;                    // row 1 times b row 0: 0 x -Inf -> NaN
            double[] expected = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += (double) a[i * k + p] * b[p * n + j];
                    }
                    expected[i * n + j] = s;
                }
            }
            float[] got = run("MatMul", Map.of("a", Tensor.of(a, m, k), "b", Tensor.of(b, k, n)), Map.of());
            assertDefinition(expected, got, "MatMul " + m + "x" + k + "x" + n);
        }
    }

    @Test
    void convPropagatesNanAndInfinityOnlyToTheOutputsThatReadThem() {
        // x [1,2,6,7] (two channels), w [3,2,3,3]: y[o][i][j] = sum_c,u,v x[c][i+u][j+v] * w[o][c][u][v]
        int c = 2;
        int h = 6;
        int wd = 7;
        int outC = 3;
        Random r = new Random(11);
        float[] x = new float[c * h * wd];
        float[] w = new float[outC * c * 9];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(5) - 2;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextInt(5) - 2;
        }
        x[0] = NAN;                      // corner of channel 0: only y[., 0, 0]
        x[h * wd + 3 * wd + 4] = INF;    // channel 1 at (3, 4)
        x[2 * wd + 6] = -INF;            // channel 0 at (2, 6)
        w[9 + 4] = 0;                    // filter 0, channel 1 centre: 0 x Inf -> NaN at y[0, 2, 3]
        int oh = h - 2;
        int ow = wd - 2;
        double[] expected = new double[outC * oh * ow];
        for (int o = 0; o < outC; o++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    double s = 0;
                    for (int ch = 0; ch < c; ch++) {
                        for (int u = 0; u < 3; u++) {
                            for (int v = 0; v < 3; v++) {
                                s += (double) x[ch * h * wd + (i + u) * wd + j + v] * w[((o * c + ch) * 3 + u) * 3 + v];
                            }
                        }
                    }
                    expected[(o * oh + i) * ow + j] = s;
                }
            }
        }
        float[] got = run("Conv", Map.of("a", Tensor.of(x, 1, c, h, wd)), Map.of("b", Tensor.of(w, outC, c, 3, 3)));
        assertDefinition(expected, got, "Conv");
    }

    @Test
    void reluKeepsNanAndInfinity() {
        // max(x, 0) with NaN propagating (numpy's maximum, the ONNX reference); 37 values cross vector widths
        float[] x = new float[37];
        Random r = new Random(12);
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat() * 4 - 2;
        }
        x[0] = NAN;
        x[9] = -INF;
        x[17] = INF;
        x[31] = -NAN;
        x[36] = NAN;
        double[] expected = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            expected[i] = Float.isNaN(x[i]) ? Double.NaN : Math.max(x[i], 0.0);
        }
        assertDefinition(expected, run("Relu", Map.of("a", Tensor.of(x, 37)), Map.of()), "Relu");
    }

    @Test
    void softmaxFollowsItsDefinitionOnNanAndInfinity() {
        // softmax(x) = exp(x - max) / sum exp(x - max) per row: a NaN or +Inf in a row makes the row NaN
        // (max is NaN, or Inf - Inf), -Inf contributes exp(-Inf) = 0; rows of 19 cross vector widths
        int rows = 4;
        int n = 19;
        float[] x = new float[rows * n];
        Random r = new Random(13);
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat() * 6 - 3;
        }
        x[5] = NAN;
        x[n + 11] = -INF;
        x[2 * n + 18] = INF;
        x[3 * n] = -INF;
        x[3 * n + 1] = -INF;
        double[] expected = new double[x.length];
        for (int row = 0; row < rows; row++) {
            double max = Double.NEGATIVE_INFINITY;
            boolean nan = false;
            for (int j = 0; j < n; j++) {
                nan |= Float.isNaN(x[row * n + j]);
                max = Math.max(max, x[row * n + j]);
            }
            double sum = 0;
            double[] e = new double[n];
            for (int j = 0; j < n; j++) {
                e[j] = nan ? Double.NaN : Math.exp(x[row * n + j] - max);
                sum += e[j];
            }
            for (int j = 0; j < n; j++) {
                expected[row * n + j] = e[j] / sum;
            }
        }
        assertDefinition(expected, run("Softmax", Map.of("a", Tensor.of(x, rows, n)), Map.of()), "Softmax");
    }
}
