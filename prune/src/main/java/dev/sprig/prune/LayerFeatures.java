package dev.sprig.prune;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;

/**
 * The rows a layer multiplies by its weight matrix: for Gemm/MatMul the input's rows (leading axes
 * flattened), for a 2-D Conv with one group the im2col patches, one row per output position, laid
 * out like the weight's reduction (input channel, kernel row, kernel column). Out-of-image taps are 0.
 */
final class LayerFeatures {

    /** Rows of {@code width} features, row-major. */
    record Rows(float[] data, int rows, int width) {
    }

    private LayerFeatures() {
    }

    /** Why reconstruction cannot use this layer's features, or null when it can. */
    static String unsupported(WeightLayer layer, int[] weightDims) {
        if (layer.kind() != WeightLayer.Kind.CONV) {
            return null;
        }
        if (layer.node().attrInt("group", 1) != 1) {
            return "grouped convolution (group " + layer.node().attrInt("group", 1) + ")";
        }
        if (weightDims.length != 4) {
            return weightDims.length - 2 + "-D convolution (only 2-D is refitted)";
        }
        return null;
    }

    /** The feature rows of {@code input} (the layer's input 0) for a weight of {@code weightDims}. */
    static Rows of(WeightLayer layer, Tensor input, int[] weightDims) {
        float[] x = Floats.of(input);
        if (layer.kind() != WeightLayer.Kind.CONV) {
            int k = layer.reduction();
            if (x.length % k != 0) {
                throw new IllegalArgumentException(layer.describe() + ": input " + input.shape()
                        + " does not split into rows of " + k);
            }
            return new Rows(x, x.length / k, k);
        }
        return im2col(layer.node(), x, input.shape().dims(), weightDims);
    }

    private static Rows im2col(Node node, float[] x, int[] in, int[] w) {
        if (in.length != 4 || in[1] != w[1]) {
            throw new IllegalArgumentException(node.describe() + ": input [N,C,H,W] with C = " + w[1]
                    + " expected, got " + java.util.Arrays.toString(in));
        }
        int batch = in[0];
        int channels = in[1];
        int h = in[2];
        int wd = in[3];
        int kh = w[2];
        int kw = w[3];
        long[] strides = node.attrInts("strides", new long[]{1, 1});
        long[] dil = node.attrInts("dilations", new long[]{1, 1});
        int sh = (int) strides[0];
        int sw = (int) strides[1];
        int dh = (int) dil[0];
        int dw = (int) dil[1];
        int[] outH = new int[1];
        int[] outW = new int[1];
        int padTop = padBegin(node, 0, h, kh, sh, dh, outH);
        int padLeft = padBegin(node, 1, wd, kw, sw, dw, outW);
        int width = channels * kh * kw;
        int rows = batch * outH[0] * outW[0];
        float[] out = new float[rows * width];
        int row = 0;
        for (int n = 0; n < batch; n++) {
            for (int oy = 0; oy < outH[0]; oy++) {
                for (int ox = 0; ox < outW[0]; ox++, row++) {
                    int base = row * width;
                    for (int c = 0; c < channels; c++) {
                        int plane = (n * channels + c) * h * wd;
                        for (int i = 0; i < kh; i++) {
                            int y = oy * sh - padTop + i * dh;
                            for (int j = 0; j < kw; j++) {
                                int xx = ox * sw - padLeft + j * dw;
                                if (y >= 0 && y < h && xx >= 0 && xx < wd) {
                                    out[base + (c * kh + i) * kw + j] = x[plane + y * wd + xx];
                                }
                            }
                        }
                    }
                }
            }
        }
        return new Rows(out, rows, width);
    }

    /** Leading padding of spatial axis {@code axis} (per the ONNX Conv rules); sets the output size. */
    private static int padBegin(Node node, int axis, int size, int k, int stride, int dilation, int[] outSize) {
        String autoPad = node.attrString("auto_pad", "NOTSET");
        int span = (k - 1) * dilation + 1;
        switch (autoPad) {
            case "SAME_UPPER", "SAME_LOWER" -> {
                int out = (size + stride - 1) / stride;
                int total = Math.max(0, (out - 1) * stride + span - size);
                outSize[0] = out;
                return autoPad.equals("SAME_UPPER") ? total / 2 : total - total / 2;
            }
            case "VALID" -> {
                outSize[0] = (size - span) / stride + 1;
                return 0;
            }
            default -> {
                long[] pads = node.attrInts("pads", new long[]{0, 0, 0, 0});
                int begin = (int) pads[axis];
                int end = (int) pads[axis + 2];
                outSize[0] = (size + begin + end - span) / stride + 1;
                return begin;
            }
        }
    }
}
