package dev.sprig.core.ops.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sprig.core.ModelException;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.kernels.testing.FloatData;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Softmax, LogSoftmax, BatchNormalization, InstanceNormalization, LayerNormalization and LRN
 * against the spec's formulas evaluated in double, element by element.
 */
class NormalizationOperatorsTest {

    private static final double REL = 2e-5;

    @Test
    void softmaxAlongOneAxisFromOpset13AndCoercedTo2dBefore() {
        SplittableRandom r = new SplittableRandom(8);
        for (int trial = 0; trial < 120; trial++) {
            int rank = 1 + r.nextInt(4);
            int[] dims = new int[rank];
            for (int i = 0; i < rank; i++) {
                dims[i] = 1 + r.nextInt(5);
            }
            int axis = r.nextInt(2 * rank) - rank;
            int opset = r.nextBoolean() ? 13 : 11;
            boolean log = r.nextBoolean();
            Tensor x = Tensor.of(scaled(FloatData.uniform(trial, Shape.of(dims).size()), 8), dims);
            Tensor y = NodeRunner.op(log ? "LogSoftmax" : "Softmax", opset).attr("axis", (long) axis)
                    .runBothThreadCounts(x)[0];
            assertArrayEquals(dims, y.shape().dims());
            int a = axis < 0 ? axis + rank : axis;
            // the group of an element: every element sharing its indices outside the softmax axes
            double[] xv = x.toDoubleArray();
            for (int e = 0; e < xv.length; e++) {
                int[] idx = ConvOperatorTest.unflat(e, dims);
                double max = Double.NEGATIVE_INFINITY;
                double sum = 0;
                for (int pass = 0; pass < 2; pass++) {
                    for (int f = 0; f < xv.length; f++) {
                        if (sameGroup(idx, ConvOperatorTest.unflat(f, dims), a, opset < 13)) {
                            if (pass == 0) {
                                max = Math.max(max, xv[f]);
                            } else {
                                sum += Math.exp(xv[f] - max);
                            }
                        }
                    }
                }
                double expected = log ? xv[e] - max - Math.log(sum) : Math.exp(xv[e] - max) / sum;
                close(expected, y.floatData()[e], 1e-6, "trial " + trial + " opset " + opset + " axis " + axis + " "
                        + Arrays.toString(dims) + " at " + Arrays.toString(idx));
            }
        }
    }

    private static boolean sameGroup(int[] i, int[] j, int axis, boolean coerced) {
        for (int k = 0; k < i.length; k++) {
            boolean reduced = coerced ? k >= axis : k == axis;
            if (!reduced && i[k] != j[k]) {
                return false;
            }
        }
        return true;
    }

    @Test
    void batchAndInstanceNormalization() {
        SplittableRandom r = new SplittableRandom(9);
        for (int trial = 0; trial < 40; trial++) {
            int n = 1 + r.nextInt(3);
            int c = 1 + r.nextInt(5);
            int h = 1 + r.nextInt(12);
            int w = 1 + r.nextInt(12);
            Tensor x = Tensor.of(FloatData.uniform(trial, n * c * h * w), n, c, h, w);
            Tensor scale = Tensor.of(FloatData.uniform(trial + 1, c), c);
            Tensor bias = Tensor.of(FloatData.uniform(trial + 2, c), c);
            float[] varData = FloatData.uniform(trial + 4, c);
            for (int i = 0; i < c; i++) {
                varData[i] = Math.abs(varData[i]) + 0.1f;
            }
            Tensor mean = Tensor.of(FloatData.uniform(trial + 3, c), c);
            Tensor var = Tensor.of(varData, c);
            float eps = 1e-3f;
            int opset = new int[]{7, 9, 14, 15}[r.nextInt(4)];
            Tensor bn = NodeRunner.op("BatchNormalization", opset).attr("epsilon", eps)
                    .runBothThreadCounts(x, scale, bias, mean, var)[0];
            Tensor in = NodeRunner.op("InstanceNormalization", 6).attr("epsilon", eps)
                    .runBothThreadCounts(x, scale, bias)[0];
            for (int img = 0; img < n; img++) {
                for (int ch = 0; ch < c; ch++) {
                    double m = 0;
                    for (int i = 0; i < h * w; i++) {
                        m += x.getFloat(img, ch, i / w, i % w);
                    }
                    m /= h * w;
                    double v = 0;
                    for (int i = 0; i < h * w; i++) {
                        double dlt = x.getFloat(img, ch, i / w, i % w) - m;
                        v += dlt * dlt;
                    }
                    v /= h * w;
                    for (int i = 0; i < h * w; i++) {
                        double xv = x.getFloat(img, ch, i / w, i % w);
                        double eb = (xv - mean.floatData()[ch]) / Math.sqrt(varData[ch] + (double) eps)
                                * scale.floatData()[ch] + bias.floatData()[ch];
                        double ei = scale.floatData()[ch] * (xv - m) / Math.sqrt(v + eps) + bias.floatData()[ch];
                        String ctx = "trial " + trial + " n=" + img + " c=" + ch + " i=" + i;
                        close(eb, bn.getFloat(img, ch, i / w, i % w), 1e-5, "BatchNormalization " + ctx);
                        close(ei, in.getFloat(img, ch, i / w, i % w), 1e-4, "InstanceNormalization " + ctx);
                    }
                }
            }
        }
    }

    @Test
    void batchNormalizationRejectsTraining() {
        Tensor v = Tensor.of(new float[]{1}, 1);
        Tensor x = Tensor.of(new float[]{1}, 1, 1);
        assertThrows(ModelException.class, () -> NodeRunner.op("BatchNormalization", 15).attr("training_mode", 1L)
                .run(x, v, v, v, v));
        assertThrows(ModelException.class, () -> NodeRunner.op("BatchNormalization", 9).outputs(3).run(x, v, v, v, v));
    }

    @Test
    void layerNormalizationWithStatistics() {
        SplittableRandom r = new SplittableRandom(10);
        for (int trial = 0; trial < 60; trial++) {
            int rank = 1 + r.nextInt(4);
            int[] dims = new int[rank];
            for (int i = 0; i < rank; i++) {
                dims[i] = 1 + r.nextInt(6);
            }
            int axis = r.nextInt(2 * rank) - rank;
            int a = axis < 0 ? axis + rank : axis;
            int[] norm = Arrays.copyOfRange(dims, a, rank);
            // Scale broadcast from a suffix of the normalised shape, sometimes with 1s
            int[] sDims = Arrays.copyOfRange(norm, r.nextInt(norm.length + 1), norm.length);
            if (sDims.length > 0 && r.nextBoolean()) {
                sDims[0] = 1;
            }
            Tensor x = Tensor.of(FloatData.uniform(trial, Shape.of(dims).size()), dims);
            Tensor scale = Tensor.of(FloatData.uniform(trial + 1, Shape.of(sDims).size()), sDims);
            Tensor bias = r.nextBoolean() ? Tensor.of(FloatData.uniform(trial + 2, Shape.of(norm).size()), norm) : null;
            float eps = 1e-4f;
            Tensor[] y = NodeRunner.op("LayerNormalization", 17).attr("axis", (long) axis).attr("epsilon", eps)
                    .outputs(3).runBothThreadCounts(x, scale, bias);
            int cols = Shape.of(norm).size();
            int rows = x.size() / cols;
            int[] statDims = dims.clone();
            Arrays.fill(statDims, a, rank, 1);
            assertArrayEquals(statDims, y[1].shape().dims());
            assertArrayEquals(statDims, y[2].shape().dims());
            for (int row = 0; row < rows; row++) {
                double m = 0;
                for (int i = 0; i < cols; i++) {
                    m += x.floatData()[row * cols + i];
                }
                m /= cols;
                double v = 0;
                for (int i = 0; i < cols; i++) {
                    double dlt = x.floatData()[row * cols + i] - m;
                    v += dlt * dlt;
                }
                double inv = 1 / Math.sqrt(v / cols + eps);
                String ctx = "trial " + trial + " " + Arrays.toString(dims) + " axis " + axis + " row " + row;
                close(m, y[1].floatData()[row], 1e-5, "mean " + ctx);
                close(inv, y[2].floatData()[row], 1e-4, "invStdDev " + ctx);
                for (int i = 0; i < cols; i++) {
                    int[] at = ConvOperatorTest.unflat(i, norm);
                    double s = scale.floatData()[broadcastIndex(sDims, at)];
                    double b = bias == null ? 0 : bias.floatData()[i];
                    double expected = (x.floatData()[row * cols + i] - m) * inv * s + b;
                    close(expected, y[0].floatData()[row * cols + i], 1e-4, ctx + " col " + i);
                }
            }
        }
    }

    @Test
    void localResponseNormalization() {
        SplittableRandom r = new SplittableRandom(12);
        for (int trial = 0; trial < 20; trial++) {
            int n = 1 + r.nextInt(2);
            int c = 1 + r.nextInt(8);
            int hw = 1 + r.nextInt(10);
            int size = 1 + r.nextInt(5);
            Tensor x = Tensor.of(FloatData.uniform(trial, n * c * hw), n, c, hw);
            float alpha = 0.2f;
            float beta = 0.6f;
            float bias = 1.5f;
            Tensor y = NodeRunner.op("LRN", 13).attr("size", (long) size).attr("alpha", alpha).attr("beta", beta)
                    .attr("bias", bias).runBothThreadCounts(x)[0];
            for (int img = 0; img < n; img++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int i = 0; i < hw; i++) {
                        double sq = 0;
                        for (int k = Math.max(0, ch - (size - 1) / 2); k <= Math.min(c - 1, ch + size / 2); k++) {
                            double v = x.getFloat(img, k, i);
                            sq += v * v;
                        }
                        double expected = x.getFloat(img, ch, i) / Math.pow(bias + alpha / size * sq, beta);
                        close(expected, y.getFloat(img, ch, i), 1e-5, "LRN trial " + trial);
                    }
                }
            }
        }
    }

    private static int broadcastIndex(int[] sDims, int[] at) {
        int p = 0;
        for (int i = 0; i < sDims.length; i++) {
            int v = at[at.length - sDims.length + i];
            p = p * sDims[i] + (sDims[i] == 1 ? 0 : v);
        }
        return p;
    }

    private static float[] scaled(float[] v, float s) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= s;
        }
        return v;
    }

    static void close(double expected, float actual, double abs, String ctx) {
        if (!(Math.abs(expected - actual) <= abs + REL * Math.abs(expected))) {
            throw new AssertionError(ctx + ": expected " + expected + ", got " + actual);
        }
    }
}
