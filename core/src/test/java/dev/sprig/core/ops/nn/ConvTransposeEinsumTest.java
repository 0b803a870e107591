package dev.sprig.core.ops.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.kernels.testing.FloatData;
import dev.sprig.kernels.testing.Tolerance;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * ConvTranspose against the scatter definition (every input pixel adds {@code x * w} at
 * {@code o = i * stride - padBegin + t * dilation}), and Einsum against hand-written loops for
 * the common equations.
 */
class ConvTransposeEinsumTest {

    @Test
    void convTransposeMatchesTheScatterDefinition() {
        SplittableRandom r = new SplittableRandom(31);
        for (int trial = 0; trial < 150; trial++) {
            int spatial = 1 + r.nextInt(2);
            int group = 1 + r.nextInt(2);
            int n = 1 + r.nextInt(2);
            int cg = 1 + r.nextInt(3);
            int mg = 1 + r.nextInt(3);
            int[] in = new int[spatial];
            int[] k = new int[spatial];
            int[] s = new int[spatial];
            int[] d = new int[spatial];
            int[] op = new int[spatial];
            int[] p = new int[2 * spatial];
            int[] out = new int[spatial];
            for (int i = 0; i < spatial; i++) {
                in[i] = 1 + r.nextInt(6);
                k[i] = 1 + r.nextInt(4);
                s[i] = 1 + r.nextInt(3);
                d[i] = 1 + r.nextInt(2);
                op[i] = r.nextInt(Math.max(s[i], d[i]));
                p[i] = r.nextInt(2);
                p[i + spatial] = r.nextInt(2);
            }
            boolean empty = false;
            for (int i = 0; i < spatial; i++) {
                out[i] = s[i] * (in[i] - 1) + op[i] + (k[i] - 1) * d[i] + 1 - p[i] - p[i + spatial];
                empty |= out[i] < 1;
            }
            if (empty) {
                continue;
            }
            int c = cg * group;
            int m = mg * group;
            Tensor x = Tensor.of(FloatData.uniform(trial, n * c * Shape.of(in).size()), ConvOperatorTest.concat(n, c, in));
            Tensor w = Tensor.of(FloatData.uniform(trial + 1, c * mg * Shape.of(k).size()),
                    ConvOperatorTest.concat(c, mg, k));
            Tensor b = r.nextBoolean() ? Tensor.of(FloatData.uniform(trial + 2, m), m) : null;
            NodeRunner node = NodeRunner.op("ConvTranspose", 11).attr("strides", s).attr("dilations", d)
                    .attr("output_padding", op).attr("pads", p).attr("group", (long) group);
            Tensor y = (b == null ? node.runBothThreadCounts(x, w) : node.runBothThreadCounts(x, w, b))[0];
            String ctx = "trial " + trial + " x " + x.shape() + " w " + w.shape() + " s " + Arrays.toString(s) + " d "
                    + Arrays.toString(d) + " pads " + Arrays.toString(p) + " out_pad " + Arrays.toString(op);
            assertArrayEquals(ConvOperatorTest.concat(n, m, out), y.shape().dims(), ctx);
            int outSize = Shape.of(out).size();
            double[] expected = new double[n * m * outSize];
            double[] abs = new double[expected.length];
            for (int img = 0; img < n; img++) {
                for (int ic = 0; ic < c; ic++) {
                    int g = ic / cg;
                    for (int j = 0; j < Shape.of(in).size(); j++) {
                        int[] i = ConvOperatorTest.unflat(j, in);
                        for (int oc = 0; oc < mg; oc++) {
                            for (int t = 0; t < Shape.of(k).size(); t++) {
                                int[] tap = ConvOperatorTest.unflat(t, k);
                                int flat = 0;
                                boolean inside = true;
                                for (int a = 0; a < spatial; a++) {
                                    int o = i[a] * s[a] - p[a] + tap[a] * d[a];
                                    inside &= o >= 0 && o < out[a];
                                    flat = flat * out[a] + o;
                                }
                                if (inside) {
                                    double term = x.getFloat(ConvOperatorTest.concat(img, ic, i))
                                            * (double) w.getFloat(ConvOperatorTest.concat(ic, oc, tap));
                                    int at = (img * m + g * mg + oc) * outSize + flat;
                                    expected[at] += term;
                                    abs[at] += Math.abs(term);
                                }
                            }
                        }
                    }
                }
            }
            for (int e = 0; e < expected.length; e++) {
                double bias = b == null ? 0 : b.floatData()[(e / outSize) % m];
                Tolerance.assertClose((float) (expected[e] + bias), y.floatData()[e], c * Shape.of(k).size() + 2,
                        abs[e] + Math.abs(bias), ctx + " at " + e);
            }
        }
    }

    @Test
    void einsumCommonEquations() {
        SplittableRandom r = new SplittableRandom(41);
        float[] a = FloatData.uniform(1, 2 * 3 * 4);
        float[] b = FloatData.uniform(2, 2 * 4 * 5);
        Tensor a3 = Tensor.of(a, 2, 3, 4);
        Tensor b3 = Tensor.of(b, 2, 4, 5);
        // batched matmul
        Tensor y = NodeRunner.op("Einsum", 12).attr("equation", "bij,bjk->bik").run(a3, b3)[0];
        assertArrayEquals(new int[]{2, 3, 5}, y.shape().dims());
        for (int bb = 0; bb < 2; bb++) {
            for (int i = 0; i < 3; i++) {
                for (int kk = 0; kk < 5; kk++) {
                    double s = 0;
                    for (int j = 0; j < 4; j++) {
                        s += (double) a3.getFloat(bb, i, j) * b3.getFloat(bb, j, kk);
                    }
                    Tolerance.assertClose((float) s, y.getFloat(bb, i, kk), 4, 4, "bij,bjk->bik");
                }
            }
        }
        // transpose, implicit output (alphabetical: 'ji' becomes ij of the transpose)
        Tensor m = Tensor.of(FloatData.uniform(3, 12), 3, 4);
        Tensor t = NodeRunner.op("Einsum", 12).attr("equation", "ji").run(m)[0];
        assertArrayEquals(new int[]{4, 3}, t.shape().dims());
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                Tolerance.assertSame(m.getFloat(j, i), t.getFloat(i, j), "ji");
            }
        }
        // trace and diagonal
        Tensor sq = Tensor.of(FloatData.uniform(4, 16), 4, 4);
        Tensor trace = NodeRunner.op("Einsum", 12).attr("equation", "ii->").run(sq)[0];
        Tensor diag = NodeRunner.op("Einsum", 12).attr("equation", "ii->i").run(sq)[0];
        double tr = 0;
        for (int i = 0; i < 4; i++) {
            tr += sq.getFloat(i, i);
            Tolerance.assertSame(sq.getFloat(i, i), diag.getFloat(i), "ii->i");
        }
        Tolerance.assertClose((float) tr, trace.floatData()[0], 4, 4, "ii->");
        // ellipsis with broadcasting, and an outer product
        Tensor e = NodeRunner.op("Einsum", 12).attr("equation", "...ij,...jk->...ik").run(a3, Tensor.of(b, 1, 4, 10))[0];
        assertArrayEquals(new int[]{2, 3, 10}, e.shape().dims());
        for (int bb = 0; bb < 2; bb++) {
            for (int i = 0; i < 3; i++) {
                for (int kk = 0; kk < 10; kk++) {
                    double s = 0;
                    for (int j = 0; j < 4; j++) {
                        s += (double) a3.getFloat(bb, i, j) * b[j * 10 + kk];
                    }
                    Tolerance.assertClose((float) s, e.getFloat(bb, i, kk), 4, 4, "...ij,...jk->...ik");
                }
            }
        }
        float[] u = FloatData.uniform(r.nextLong(), 3);
        float[] v = FloatData.uniform(r.nextLong(), 2);
        Tensor outer = NodeRunner.op("Einsum", 12).attr("equation", "i,j->ij").run(Tensor.of(u, 3), Tensor.of(v, 2))[0];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                Tolerance.assertSame(u[i] * v[j], outer.getFloat(i, j), "i,j->ij");
            }
        }
    }
}
