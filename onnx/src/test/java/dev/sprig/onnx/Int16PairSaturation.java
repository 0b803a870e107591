package dev.sprig.onnx;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.Operator;
import dev.sprig.kernels.int8.Requantize;

/**
 * Scalar QLinearConv and QLinearMatMul (UINT8 activations, INT8 weights) that sum the way an
 * x86 CPU without an int8 dot-product instruction does with {@code vpmaddubsw}: the products of
 * two neighbouring reduction elements are added into a 16-bit lane that saturates at
 * [-32768, 32767], and only those pair sums are accumulated in 32 bits. Zero points are applied
 * afterwards through row and column sums, on the raw UINT8 values, as a GEMM with zero-point
 * correction does. The reduction runs over (kernel row, kernel column, input channel), the order
 * of an NHWC im2col; a depthwise convolution (one input and one output channel per group) has its
 * own kernel there and sums exactly.
 *
 * <p>Not Sprig's arithmetic: the ONNX definitions ask for the exact sum, which Sprig computes.
 * This twin only exists to show, in {@code Int16PairSaturationTest}, that a stored reference made
 * on such a CPU differs from Sprig by exactly this saturation and nothing else.
 */
final class Int16PairSaturation {

    private Int16PairSaturation() {
    }

    /** Adds products to a 32-bit sum in neighbouring pairs whose 16-bit sum saturates. */
    private static final class PairSum {
        long raw;
        private int held;
        private boolean holding;

        void add(int product) {
            if (holding) {
                raw += Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, held + product));
                holding = false;
            } else {
                held = product;
                holding = true;
            }
        }

        long finish() {
            if (holding) {
                raw += held;
                holding = false;
            }
            long r = raw;
            raw = 0;
            return r;
        }
    }

    static Operator qlinearConv(Node node) {
        long[] strides = node.attrInts("strides", new long[] {1, 1});
        long[] pads = node.attrInts("pads", new long[] {0, 0, 0, 0});
        long[] dilations = node.attrInts("dilations", new long[] {1, 1});
        int group = (int) node.attrInt("group", 1);
        if (!node.attrString("auto_pad", "NOTSET").equals("NOTSET")) {
            throw new UnsupportedOperationException(node.describe() + ": this test twin takes explicit pads only");
        }
        return (in, ctx) -> {
            Tensor x = in[0].contiguous();
            Tensor w = in[3].contiguous();
            requireUint8Int8(node, x, w);
            int n = x.shape().dim(0);
            int c = x.shape().dim(1);
            int h = x.shape().dim(2);
            int wd = x.shape().dim(3);
            int m = w.shape().dim(0);
            int cg = w.shape().dim(1);
            int kh = w.shape().dim(2);
            int kw = w.shape().dim(3);
            int mg = m / group;
            int oh = (int) ((h + pads[0] + pads[2] - dilations[0] * (kh - 1) - 1) / strides[0] + 1);
            int ow = (int) ((wd + pads[1] + pads[3] - dilations[1] * (kw - 1) - 1) / strides[1] + 1);
            int xZero = scalarInt(in[2]);
            float xScale = scalarFloat(in[1]);
            float yScale = scalarFloat(in[6]);
            int yZero = in[7] == null ? 0 : scalarInt(in[7]);
            float[] wScale = perChannel(in[4], m);
            int[] wZero = perChannelInt(in[5], m);
            int[] bias = in.length > 8 && in[8] != null ? copyInts(in[8]) : null;
            boolean depthwise = cg == 1 && mg == 1;
            byte[] xs = x.byteData();
            byte[] ws = w.byteData();
            int positions = oh * ow;
            int[] acc = new int[positions * m];
            Tensor y = Tensor.zeros(in[7] == null ? DType.UINT8 : in[7].dtype(), dev.sprig.core.Shape.of(n, m, oh, ow));
            byte[] block = new byte[positions * m];
            float[] multiplier = new float[m];
            for (int j = 0; j < m; j++) {
                multiplier[j] = xScale * wScale[j] / yScale;
            }
            PairSum pairs = new PairSum();
            for (int image = 0; image < n; image++) {
                for (int oc = 0; oc < m; oc++) {
                    int g = oc / mg;
                    for (int p = 0; p < positions; p++) {
                        int oy = p / ow;
                        int ox = p % ow;
                        long exact = 0;
                        long sumX = 0;
                        long sumW = 0;
                        for (int ky = 0; ky < kh; ky++) {
                            for (int kx = 0; kx < kw; kx++) {
                                long iy = oy * strides[0] - pads[0] + ky * dilations[0];
                                long ix = ox * strides[1] - pads[1] + kx * dilations[1];
                                boolean inside = iy >= 0 && iy < h && ix >= 0 && ix < wd;
                                for (int ci = 0; ci < cg; ci++) {
                                    int channel = g * cg + ci;
                                    // padding reads the zero point, as an im2col of raw UINT8 values does
                                    int xv = inside ? xs[x.offset() + ((image * c + channel) * h + (int) iy) * wd
                                            + (int) ix] & 0xFF : xZero;
                                    int wv = ws[w.offset() + ((oc * cg + ci) * kh + ky) * kw + kx];
                                    if (depthwise) {
                                        exact += (long) xv * wv;
                                    } else {
                                        pairs.add(xv * wv);
                                    }
                                    sumX += xv;
                                    sumW += wv;
                                }
                            }
                        }
                        long raw = depthwise ? exact : pairs.finish();
                        long k = (long) kh * kw * cg;
                        acc[p * m + oc] = Math.toIntExact(raw - xZero * sumW - wZero[oc] * sumX
                                + k * xZero * wZero[oc]);
                    }
                }
                Requantize.toBytes(acc, 0, positions, m, m, bias, multiplier, yZero, y.dtype() == DType.INT8,
                        block, 0, m);
                byte[] out = y.byteData();
                for (int p = 0; p < positions; p++) {
                    for (int oc = 0; oc < m; oc++) {
                        out[(image * m + oc) * positions + p] = block[p * m + oc];
                    }
                }
            }
            return new Tensor[] {y};
        };
    }

    static Operator qlinearMatMul(Node node) {
        return (in, ctx) -> {
            Tensor a = in[0].contiguous();
            Tensor b = in[3].contiguous();
            requireUint8Int8(node, a, b);
            if (b.shape().rank() != 2) {
                throw new UnsupportedOperationException(node.describe() + ": this test twin takes a 2-D b only");
            }
            int k = b.shape().dim(0);
            int cols = b.shape().dim(1);
            int rows = a.size() / k;
            int aZero = scalarInt(in[2]);
            int bZero = scalarInt(in[5]);
            int yZero = scalarInt(in[7]);
            float multiplier = scalarFloat(in[1]) * scalarFloat(in[4]) / scalarFloat(in[6]);
            byte[] as = a.byteData();
            byte[] bs = b.byteData();
            int[] acc = new int[rows * cols];
            PairSum pairs = new PairSum();
            for (int r = 0; r < rows; r++) {
                for (int col = 0; col < cols; col++) {
                    long sumA = 0;
                    long sumB = 0;
                    for (int i = 0; i < k; i++) {
                        int av = as[a.offset() + r * k + i] & 0xFF;
                        int bv = bs[b.offset() + i * cols + col];
                        pairs.add(av * bv);
                        sumA += av;
                        sumB += bv;
                    }
                    acc[r * cols + col] = Math.toIntExact(pairs.finish() - aZero * sumB - bZero * sumA
                            + (long) k * aZero * bZero);
                }
            }
            int[] dims = a.shape().dims();
            dims[dims.length - 1] = cols;
            Tensor y = Tensor.zeros(in[7].dtype(), dev.sprig.core.Shape.of(dims));
            float[] scale = new float[cols];
            java.util.Arrays.fill(scale, multiplier);
            Requantize.toBytes(acc, 0, rows, cols, cols, null, scale, yZero, y.dtype() == DType.INT8, y.byteData(), 0,
                    cols);
            return new Tensor[] {y};
        };
    }

    private static void requireUint8Int8(Node node, Tensor activations, Tensor weights) {
        if (activations.dtype() != DType.UINT8 || weights.dtype() != DType.INT8) {
            throw new UnsupportedOperationException(node.describe() + ": this test twin takes UINT8 activations and"
                    + " INT8 weights, got " + activations.dtype() + " and " + weights.dtype());
        }
    }

    private static int scalarInt(Tensor t) {
        Tensor c = t.contiguous();
        byte v = c.byteData()[c.offset()];
        return c.dtype() == DType.UINT8 ? v & 0xFF : v;
    }

    private static float scalarFloat(Tensor t) {
        Tensor c = t.contiguous();
        return c.floatData()[c.offset()];
    }

    private static float[] perChannel(Tensor t, int m) {
        Tensor c = t.contiguous();
        float[] out = new float[m];
        for (int j = 0; j < m; j++) {
            out[j] = c.floatData()[c.offset() + (c.size() == 1 ? 0 : j)];
        }
        return out;
    }

    private static int[] perChannelInt(Tensor t, int m) {
        int[] out = new int[m];
        if (t == null) {
            return out;
        }
        Tensor c = t.contiguous();
        for (int j = 0; j < m; j++) {
            byte v = c.byteData()[c.offset() + (c.size() == 1 ? 0 : j)];
            out[j] = c.dtype() == DType.UINT8 ? v & 0xFF : v;
        }
        return out;
    }

    private static int[] copyInts(Tensor t) {
        Tensor c = t.contiguous();
        return java.util.Arrays.copyOfRange(c.intData(), c.offset(), c.offset() + c.size());
    }
}
