package dev.sprig.core.ops.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.kernels.testing.FloatData;
import dev.sprig.kernels.testing.Tolerance;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Conv against the direct definition over any number of spatial axes:
 * {@code y[n][m][o...] = B[m] + sum over c, taps of x[n][g*Cg + c][o*s - padBegin + t*d] * w[m][c][t]},
 * taps outside the input reading zero; pads from the spec's auto_pad formula, computed here.
 */
class ConvOperatorTest {

    @Test
    void randomConvolutionsMatchTheDefinition() {
        SplittableRandom r = new SplittableRandom(11);
        String[] autoPads = {"NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"};
        for (int trial = 0; trial < 300; trial++) {
            int spatial = 1 + r.nextInt(2);
            int group = r.nextInt(3) == 0 ? 1 + r.nextInt(3) : 1;
            int n = 1 + r.nextInt(2);
            int cg = 1 + r.nextInt(3);
            int mg = 1 + r.nextInt(4);
            int[] in = new int[spatial];
            int[] k = new int[spatial];
            int[] s = new int[spatial];
            int[] d = new int[spatial];
            int[] pads = new int[2 * spatial];
            for (int i = 0; i < spatial; i++) {
                in[i] = 1 + r.nextInt(9);
                k[i] = 1 + r.nextInt(4);
                s[i] = 1 + r.nextInt(3);
                d[i] = 1 + r.nextInt(2);
                pads[i] = r.nextInt(3);
                pads[i + spatial] = r.nextInt(3);
            }
            String autoPad = autoPads[r.nextInt(4)];
            int[] p = autoPad.equals("NOTSET") ? pads : specPads(autoPad, in, k, s, d);
            boolean empty = false;
            for (int i = 0; i < spatial; i++) {
                empty |= in[i] + p[i] + p[i + spatial] < (k[i] - 1) * d[i] + 1;
            }
            if (empty) {
                continue;
            }
            int c = cg * group;
            int m = mg * group;
            Tensor x = Tensor.of(FloatData.uniform(trial, n * c * Shape.of(in).size()), concat(n, c, in));
            Tensor w = Tensor.of(FloatData.uniform(trial + 1000, m * cg * Shape.of(k).size()), concat(m, cg, k));
            Tensor b = r.nextBoolean() ? Tensor.of(FloatData.uniform(trial + 2000, m), m) : null;
            NodeRunner op = NodeRunner.op("Conv", 11).attr("strides", s).attr("dilations", d).attr("group", (long) group)
                    .attr("auto_pad", autoPad);
            if (autoPad.equals("NOTSET")) {
                op.attr("pads", pads);
            }
            if (r.nextBoolean()) {
                op.attr("kernel_shape", k);
            }
            Tensor y = (b == null ? op.runBothThreadCounts(x, w) : op.runBothThreadCounts(x, w, b))[0];
            String ctx = "trial " + trial + " x " + x.shape() + " w " + w.shape() + " strides " + Arrays.toString(s)
                    + " dilations " + Arrays.toString(d) + " pads " + Arrays.toString(p) + " " + autoPad + " group "
                    + group;
            check(x, w, b, s, d, p, group, y, ctx);
        }
    }

    @Test
    void biasAndAsymmetricPadsOnAKnownCase() {
        // 1x1x3x3 input of 1..9, 2x2 kernel of ones, pads top 1 left 0 bottom 0 right 1, bias 10
        Tensor x = Tensor.of(new float[]{1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
        Tensor w = Tensor.of(new float[]{1, 1, 1, 1}, 1, 1, 2, 2);
        Tensor b = Tensor.of(new float[]{10}, 1);
        Tensor y = NodeRunner.op("Conv", 11).attr("pads", 1, 0, 0, 1).run(x, w, b)[0];
        assertArrayEquals(new int[]{1, 1, 3, 3}, y.shape().dims());
        // row -1 is padding: first output row sums input row 0 pairs; the right column sees the pad
        float[] expected = {13, 15, 13, 22, 26, 19, 34, 38, 25};
        assertArrayEquals(expected, y.floatData());
    }

    @Test
    void rejectsThreeDimensionalConvolution() {
        Tensor x = Tensor.of(new float[8], 1, 1, 2, 2, 2);
        Tensor w = Tensor.of(new float[1], 1, 1, 1, 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NodeRunner.op("Conv", 11).run(x, w));
        assertTrue(e.getMessage().contains("3-D"), e.getMessage());
    }

    static int[] specPads(String autoPad, int[] in, int[] k, int[] s, int[] d) {
        int n = in.length;
        int[] p = new int[2 * n];
        if (autoPad.equals("VALID")) {
            return p;
        }
        for (int i = 0; i < n; i++) {
            int out = (in[i] + s[i] - 1) / s[i];
            int total = Math.max(0, (out - 1) * s[i] + (k[i] - 1) * d[i] + 1 - in[i]);
            p[i] = autoPad.equals("SAME_UPPER") ? total / 2 : total - total / 2;
            p[i + n] = total - p[i];
        }
        return p;
    }

    static int[] concat(int a, int b, int[] rest) {
        int[] out = new int[rest.length + 2];
        out[0] = a;
        out[1] = b;
        System.arraycopy(rest, 0, out, 2, rest.length);
        return out;
    }

    private static void check(Tensor x, Tensor w, Tensor b, int[] s, int[] d, int[] p, int group, Tensor y,
                              String ctx) {
        int spatial = s.length;
        int n = x.shape().dim(0);
        int c = x.shape().dim(1);
        int m = w.shape().dim(0);
        int cg = c / group;
        int mg = m / group;
        int[] in = Arrays.copyOfRange(x.shape().dims(), 2, 2 + spatial);
        int[] k = Arrays.copyOfRange(w.shape().dims(), 2, 2 + spatial);
        int[] out = new int[spatial];
        for (int i = 0; i < spatial; i++) {
            out[i] = (in[i] + p[i] + p[i + spatial] - (k[i] - 1) * d[i] - 1) / s[i] + 1;
        }
        assertArrayEquals(concat(n, m, out), y.shape().dims(), ctx);
        int outSize = Shape.of(out).size();
        int taps = Shape.of(k).size();
        for (int img = 0; img < n; img++) {
            for (int oc = 0; oc < m; oc++) {
                int g = oc / mg;
                for (int j = 0; j < outSize; j++) {
                    int[] o = unflat(j, out);
                    double sum = b == null ? 0 : b.floatData()[oc];
                    double abs = Math.abs(sum);
                    for (int ic = 0; ic < cg; ic++) {
                        for (int t = 0; t < taps; t++) {
                            int[] tap = unflat(t, k);
                            int[] at = new int[spatial];
                            boolean inside = true;
                            for (int a = 0; a < spatial; a++) {
                                at[a] = o[a] * s[a] - p[a] + tap[a] * d[a];
                                inside &= at[a] >= 0 && at[a] < in[a];
                            }
                            if (inside) {
                                double term = x.getFloat(concat(img, g * cg + ic, at))
                                        * (double) w.getFloat(concat(oc, ic, tap));
                                sum += term;
                                abs += Math.abs(term);
                            }
                        }
                    }
                    Tolerance.assertClose((float) sum, y.getFloat(concat(img, oc, o)), cg * taps + 1, abs,
                            ctx + " at n=" + img + " m=" + oc + " o=" + Arrays.toString(o));
                }
            }
        }
    }

    static int[] unflat(int j, int[] dims) {
        int[] idx = new int[dims.length];
        for (int a = dims.length - 1; a >= 0; a--) {
            idx[a] = j % dims[a];
            j /= dims[a];
        }
        return idx;
    }
}
