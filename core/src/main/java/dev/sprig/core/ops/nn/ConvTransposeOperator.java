package dev.sprig.core.ops.nn;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import dev.sprig.kernels.gemm.Epilogue;
import dev.sprig.kernels.gemm.Sgemm;
import java.util.Arrays;

/**
 * ONNX {@code ConvTranspose} (1-D and 2-D, FLOAT NCHW): X is {@code N x C x H x W}, W is
 * {@code C x M/group x KH x KW}, Y is {@code N x M x OH x OW} with
 * {@code OH = strideH * (H - 1) + output_padding + (KH - 1) * dilationH + 1 - padTop - padBottom}.
 *
 * <p>Computed as a GEMM then col2im, per image and group: {@code cols = W_g^T * X_g}, a
 * {@code (M/group * KH * KW) x (H * W)} matrix holding every input pixel's contribution to every
 * tap, then each contribution is added at its output position
 * {@code oh = ih * strideH - padTop + kh * dilationH} (dropped when outside). The scatter is split
 * over output channels and adds in a fixed order (kh, kw, ih, iw), so results do not depend on the
 * thread count.
 *
 * <p>With {@code output_shape} the pads are derived from it: {@code total = stride * (in - 1) +
 * output_padding + (k - 1) * dilation + 1 - output_shape}, the begin pad {@code total / 2} under
 * SAME_UPPER and {@code total - total / 2} otherwise; SAME_UPPER/SAME_LOWER without
 * {@code output_shape} target {@code in * stride}.
 */
final class ConvTransposeOperator implements Operator {

    private final String name;
    private final String autoPad;
    private final int[] kernelShape;
    private final int[] pads;
    private final int[] strides;
    private final int[] dilations;
    private final int[] outputPadding;
    private final int[] outputShape;
    private final int group;

    private ConvTransposeOperator(Node node) {
        this.name = node.describe();
        this.autoPad = NnAttributes.autoPad(node);
        this.kernelShape = NnAttributes.intsAtLeast(node, "kernel_shape", 1);
        this.pads = NnAttributes.intsAtLeast(node, "pads", 0);
        this.strides = NnAttributes.intsAtLeast(node, "strides", 1);
        this.dilations = NnAttributes.intsAtLeast(node, "dilations", 1);
        this.outputPadding = NnAttributes.intsAtLeast(node, "output_padding", 0);
        this.outputShape = NnAttributes.intsAtLeast(node, "output_shape", 1);
        this.group = NnAttributes.integer(node, "group", 1);
        if (group < 1) {
            throw new ModelException(name + ": attribute 'group' must be >= 1, got " + group);
        }
    }

    /** The factory: reads and checks the attributes at load. */
    static Operator create(Node node, int opset) {
        return new ConvTransposeOperator(node);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor x = NnInputs.floatInput(name, "X", inputs, 0).contiguous();
        Tensor w = NnInputs.floatInput(name, "W", inputs, 1).contiguous();
        Tensor b = NnInputs.optionalFloat(name, "B", inputs, 2);
        int rank = x.shape().rank();
        if (rank != 3 && rank != 4) {
            throw new IllegalArgumentException(name + ": X must be N x C x L or N x C x H x W (1-D or 2-D"
                    + " ConvTranspose), got " + x.shape());
        }
        if (w.shape().rank() != rank) {
            throw new IllegalArgumentException(name + ": W must have the rank of X (" + rank + "), got " + w.shape());
        }
        int n = rank - 2;
        int batch = x.shape().dim(0);
        int channels = x.shape().dim(1);
        if (w.shape().dim(0) != channels || channels % group != 0) {
            throw new IllegalArgumentException(name + ": W " + w.shape() + " must have C = " + channels
                    + " rows on axis 0, and C must be a multiple of group = " + group);
        }
        int mg = w.shape().dim(1);
        int outChannels = mg * group;
        int cg = channels / group;
        int[] in = Arrays.copyOfRange(x.shape().dims(), 2, rank);
        int[] k = Arrays.copyOfRange(w.shape().dims(), 2, rank);
        if (kernelShape != null && !Arrays.equals(kernelShape, k)) {
            throw new IllegalArgumentException(name + ": kernel_shape " + Arrays.toString(kernelShape)
                    + " does not match the spatial shape of W " + w.shape());
        }
        int[] st = SpatialPads.perAxis(name, "strides", strides, n);
        int[] dl = SpatialPads.perAxis(name, "dilations", dilations, n);
        int[] op = outputPadding == null ? new int[n] : outputPadding;
        if (op.length != n) {
            throw new IllegalArgumentException(name + ": output_padding must hold " + n + " values, got "
                    + Arrays.toString(op));
        }
        int[] p = pads(in, k, st, dl, op);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            long size = (long) st[i] * (in[i] - 1) + op[i] + (long) (k[i] - 1) * dl[i] + 1 - p[i] - p[i + n];
            if (size < 1) {
                throw new IllegalArgumentException(name + ": empty output on spatial axis " + i + " (size " + size
                        + ") for input " + x.shape() + ", W " + w.shape() + ", pads " + Arrays.toString(p));
            }
            out[i] = (int) size;
        }
        if (b != null) {
            b = NnInputs.vector(name, "B", b, outChannels);
        }
        // the 1-D case is the 2-D one with a height of 1
        Geometry g = n == 2
                ? new Geometry(in[0], in[1], k[0], k[1], st[0], st[1], dl[0], dl[1], p[0], p[1], out[0], out[1])
                : new Geometry(1, in[0], 1, k[0], 1, st[0], 1, dl[0], 0, p[0], 1, out[0]);
        int[] yDims = new int[rank];
        yDims[0] = batch;
        yDims[1] = outChannels;
        System.arraycopy(out, 0, yDims, 2, n);
        Tensor y = Tensor.zeros(DType.FLOAT, Shape.of(yDims));
        int taps = g.kh * g.kw;
        int pixels = g.h * g.w;
        int rows = mg * taps;
        float[] cols = new float[Math.multiplyExact(rows, pixels)];
        float[] xd = x.floatData();
        float[] wd = w.floatData();
        float[] yd = y.floatData();
        int outPlane = g.oh * g.ow;
        for (int img = 0; img < batch; img++) {
            for (int gr = 0; gr < group; gr++) {
                // cols (mg*taps x pixels) = W_g^T, W_g stored cg x (mg*taps), times X_g (cg x pixels)
                Sgemm.sgemm(true, false, rows, pixels, cg, 1f, wd, w.offset() + gr * cg * rows, rows,
                        xd, x.offset() + (img * channels + gr * cg) * pixels, pixels, 0f, cols, 0, pixels,
                        Epilogue.NONE, context.pool());
                int yBase = (img * outChannels + gr * mg) * outPlane;
                Tensor bias = b;
                int biasBase = gr * mg;
                context.pool().parallelFor(mg, m -> {
                    int plane = yBase + m * outPlane;
                    col2im(g, cols, m * taps * pixels, yd, plane);
                    if (bias != null) {
                        float v = bias.floatData()[bias.offset() + biasBase + m];
                        for (int i = 0; i < outPlane; i++) {
                            yd[plane + i] += v;
                        }
                    }
                });
            }
        }
        return new Tensor[]{y};
    }

    /** Adds the tap rows of one output channel, {@code cols[c0 ..]} (taps x pixels), into its output plane. */
    static void col2im(Geometry g, float[] cols, int c0, float[] y, int plane) {
        int pixels = g.h * g.w;
        int row = c0;
        for (int kh = 0; kh < g.kh; kh++) {
            for (int kw = 0; kw < g.kw; kw++, row += pixels) {
                for (int ih = 0; ih < g.h; ih++) {
                    int oh = ih * g.sh - g.padTop + kh * g.dh;
                    if (oh < 0 || oh >= g.oh) {
                        continue;
                    }
                    int src = row + ih * g.w;
                    int dst = plane + oh * g.ow;
                    for (int iw = 0; iw < g.w; iw++) {
                        int ow = iw * g.sw - g.padLeft + kw * g.dw;
                        if (ow >= 0 && ow < g.ow) {
                            y[dst + ow] += cols[src + iw];
                        }
                    }
                }
            }
        }
    }

    private int[] pads(int[] in, int[] k, int[] st, int[] dl, int[] op) {
        int n = in.length;
        int[] target = outputShape;
        if (target != null && target.length != n) {
            if (target.length == n + 2) {
                // some exporters write the full N x C x ... shape
                target = Arrays.copyOfRange(target, 2, n + 2);
            } else {
                throw new IllegalArgumentException(name + ": output_shape must hold " + n + " spatial sizes, got "
                        + Arrays.toString(outputShape));
            }
        }
        if (target == null && (autoPad.equals("SAME_UPPER") || autoPad.equals("SAME_LOWER"))) {
            target = new int[n];
            for (int i = 0; i < n; i++) {
                target[i] = in[i] * st[i];
            }
        }
        if (target == null) {
            return SpatialPads.resolve(name, autoPad, pads, in, k, st, dl);
        }
        int[] p = new int[2 * n];
        for (int i = 0; i < n; i++) {
            long total = (long) st[i] * (in[i] - 1) + op[i] + (long) (k[i] - 1) * dl[i] + 1 - target[i];
            // a negative total (output_shape beyond the full output) extends the output; floor division as in
            // the spec's reference, so the extra rows go to the end
            long half = Math.floorDiv(total, 2);
            boolean upper = autoPad.equals("SAME_UPPER");
            p[i] = (int) (upper ? half : total - half);
            p[i + n] = (int) (total - p[i]);
        }
        return p;
    }

    /** The 2-D geometry of one transposed convolution (input, kernel, stride, dilation, begin pads, output). */
    record Geometry(int h, int w, int kh, int kw, int sh, int sw, int dh, int dw, int padTop, int padLeft,
                    int oh, int ow) {
    }
}
