package dev.sprig.core.ops.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.kernels.testing.FloatData;
import dev.sprig.kernels.testing.Tolerance;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * MaxPool, AveragePool and the global pools against window loops written from the spec: output
 * size {@code floor or ceil((in + pads - ((k - 1) * d + 1)) / s) + 1} (a ceil-mode window starting
 * in the end padding dropped), max over the taps on the input, average over the taps on the input
 * (or, with count_include_pad, on the input and its pads).
 */
class PoolOperatorTest {

    @Test
    void randomPoolsMatchTheDefinition() {
        SplittableRandom r = new SplittableRandom(21);
        String[] autoPads = {"NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"};
        int checked = 0;
        for (int trial = 0; trial < 400; trial++) {
            int spatial = 1 + r.nextInt(3);
            int[] in = new int[spatial];
            int[] k = new int[spatial];
            int[] s = new int[spatial];
            int[] d = new int[spatial];
            int[] pads = new int[2 * spatial];
            for (int i = 0; i < spatial; i++) {
                in[i] = 1 + r.nextInt(spatial == 3 ? 5 : 10);
                k[i] = 1 + r.nextInt(3);
                s[i] = 1 + r.nextInt(3);
                d[i] = 1 + r.nextInt(2);
                // pads smaller than the window, as the spec requires
                pads[i] = r.nextInt(k[i]);
                pads[i + spatial] = r.nextInt(k[i]);
            }
            String autoPad = autoPads[r.nextInt(4)];
            boolean ceil = r.nextBoolean();
            boolean max = r.nextBoolean();
            boolean includePad = r.nextBoolean();
            int[] p = autoPad.equals("NOTSET") ? pads : ConvOperatorTest.specPads(autoPad, in, k, s, d);
            int[] out = new int[spatial];
            boolean empty = false;
            for (int i = 0; i < spatial; i++) {
                int span = in[i] + p[i] + p[i + spatial] - ((k[i] - 1) * d[i] + 1);
                empty |= span < 0;
                out[i] = (ceil ? (span + s[i] - 1) / s[i] : span / s[i]) + 1;
                if (ceil && (out[i] - 1) * s[i] >= in[i] + p[i]) {
                    out[i]--;
                }
            }
            if (empty) {
                continue;
            }
            int n = 1 + r.nextInt(2);
            int c = 1 + r.nextInt(3);
            int[] xDims = ConvOperatorTest.concat(n, c, in);
            Tensor x = Tensor.of(FloatData.uniform(trial, Shape.of(xDims).size()), xDims);
            NodeRunner op = NodeRunner.op(max ? "MaxPool" : "AveragePool", 19).attr("kernel_shape", k)
                    .attr("strides", s).attr("dilations", d).attr("auto_pad", autoPad).attr("ceil_mode", ceil ? 1L : 0L);
            if (autoPad.equals("NOTSET")) {
                op.attr("pads", pads);
            }
            if (!max) {
                op.attr("count_include_pad", includePad ? 1L : 0L);
            }
            boolean indices = max && r.nextBoolean();
            if (indices) {
                op.outputs(2);
            }
            Tensor[] y = op.runBothThreadCounts(x);
            String ctx = "trial " + trial + " " + (max ? "max" : "avg") + " x " + x.shape() + " k " + Arrays.toString(k)
                    + " s " + Arrays.toString(s) + " d " + Arrays.toString(d) + " pads " + Arrays.toString(p) + " "
                    + autoPad + " ceil " + ceil + " includePad " + includePad;
            assertArrayEquals(ConvOperatorTest.concat(n, c, out), y[0].shape().dims(), ctx);
            int outSize = Shape.of(out).size();
            int inSize = Shape.of(in).size();
            for (int plane = 0; plane < n * c; plane++) {
                for (int j = 0; j < outSize; j++) {
                    int[] o = ConvOperatorTest.unflat(j, out);
                    float best = Float.NEGATIVE_INFINITY;
                    int bestAt = -1;
                    double sum = 0;
                    int count = 0;
                    for (int t = 0; t < Shape.of(k).size(); t++) {
                        int[] tap = ConvOperatorTest.unflat(t, k);
                        boolean inside = true;
                        boolean inPads = true;
                        int flat = 0;
                        for (int a = 0; a < spatial; a++) {
                            int pos = o[a] * s[a] - p[a] + tap[a] * d[a];
                            inside &= pos >= 0 && pos < in[a];
                            inPads &= pos >= -p[a] && pos < in[a] + p[a + spatial];
                            flat = flat * in[a] + pos;
                        }
                        if (inside) {
                            float v = x.floatData()[plane * inSize + flat];
                            if (v > best) {
                                best = v;
                                bestAt = plane * inSize + flat;
                            }
                            sum += v;
                        }
                        if (includePad ? inPads : inside) {
                            count++;
                        }
                    }
                    float actual = y[0].floatData()[plane * outSize + j];
                    if (max) {
                        assertEquals(best, actual, ctx + " at plane " + plane + " " + Arrays.toString(o));
                        if (indices) {
                            assertEquals(bestAt, y[1].longData()[plane * outSize + j], ctx + " index");
                        }
                    } else {
                        Tolerance.assertClose((float) (sum / count), actual, Shape.of(k).size() + 1, Math.abs(sum / count)
                                + count, ctx + " at plane " + plane + " " + Arrays.toString(o));
                    }
                    checked++;
                }
            }
        }
        assertEquals(true, checked > 1000, "too few outputs checked: " + checked);
    }

    @Test
    void maxPoolOfUint8IsExact() {
        byte[] v = {(byte) 200, 3, 7, (byte) 255, 0, 1, 2, (byte) 128, 9};
        Tensor x = Tensor.ofUint8(v, 1, 1, 3, 3);
        Tensor y = NodeRunner.op("MaxPool", 12).attr("kernel_shape", 2, 2).run(x)[0];
        assertArrayEquals(new byte[]{(byte) 255, 7, (byte) 255, (byte) 128}, y.byteData());
    }

    @Test
    void globalPoolsReduceEachPlane() {
        SplittableRandom r = new SplittableRandom(3);
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + r.nextInt(3);
            int c = 1 + r.nextInt(40);
            int h = 1 + r.nextInt(30);
            int w = 1 + r.nextInt(30);
            Tensor x = Tensor.of(FloatData.uniform(trial, n * c * h * w), n, c, h, w);
            Tensor avg = NodeRunner.op("GlobalAveragePool", 1).runBothThreadCounts(x)[0];
            Tensor mx = NodeRunner.op("GlobalMaxPool", 1).runBothThreadCounts(x)[0];
            assertArrayEquals(new int[]{n, c, 1, 1}, avg.shape().dims());
            for (int p = 0; p < n * c; p++) {
                double sum = 0;
                double abs = 0;
                float best = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < h * w; i++) {
                    float v = x.floatData()[p * h * w + i];
                    sum += v;
                    abs += Math.abs(v);
                    best = Math.max(best, v);
                }
                Tolerance.assertClose((float) (sum / (h * w)), avg.floatData()[p], h * w + 1, abs / (h * w),
                        "plane " + p);
                assertEquals(best, mx.floatData()[p]);
            }
        }
    }
}
