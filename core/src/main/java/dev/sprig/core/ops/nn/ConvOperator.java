package dev.sprig.core.ops.nn;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import dev.sprig.core.ops.OperatorFactory;
import dev.sprig.core.ops.fused.FusedActivation;
import dev.sprig.core.ops.fused.FusedOperators;
import dev.sprig.kernels.conv.Conv2d;
import dev.sprig.kernels.conv.Conv2dShape;
import dev.sprig.kernels.conv.Conv2dWeights;
import dev.sprig.kernels.conv.Conv2dWinograd;
import dev.sprig.kernels.gemm.Epilogue;
import java.util.Arrays;

/**
 * ONNX {@code Conv} on FLOAT NCHW tensors: 2-D convolutions go to {@link Conv2d}, 1-D ones are
 * the 2-D case with a height of 1. Supports auto_pad (NOTSET, SAME_UPPER, SAME_LOWER, VALID),
 * pads, strides, dilations, group and the optional bias B, which is fused into the GEMM's store as
 * a per-output-channel bias. The kernel shape comes from W (a {@code kernel_shape} attribute must
 * agree with it). 3-D convolutions are rejected with a clear error. The same class runs
 * {@code dev.sprig:FusedConv}, a Conv whose following Relu or Clip a pass moved into the epilogue.
 */
final class ConvOperator implements Operator {

    private final String name;
    private final String autoPad;
    private final int[] kernelShape;
    private final int[] pads;
    private final int[] strides;
    private final int[] dilations;
    private final int group;
    /** The node, for the activation a fusion pass put on a {@code dev.sprig:FusedConv}. */
    private final Node fused;
    /** Filters transformed for Winograd at creation (a constant W that it computes), else null. */
    private Conv2dWinograd.Filters winograd;
    /** A constant W packed for the GEMM at creation, else null. */
    private Conv2dWeights prepared;
    /** The constant W those came from (a run given other weights computes from them directly). */
    private Tensor constantWeights;

    private ConvOperator(Node node) {
        this.name = node.describe();
        this.fused = node.domain().equals(FusedOperators.DOMAIN) ? node : null;
        this.autoPad = NnAttributes.autoPad(node);
        this.kernelShape = NnAttributes.intsAtLeast(node, "kernel_shape", 1);
        this.pads = NnAttributes.intsAtLeast(node, "pads", 0);
        this.strides = NnAttributes.intsAtLeast(node, "strides", 1);
        this.dilations = NnAttributes.intsAtLeast(node, "dilations", 1);
        this.group = NnAttributes.integer(node, "group", 1);
        if (group < 1) {
            throw new ModelException(name + ": attribute 'group' must be >= 1, got " + group);
        }
    }

    /** The factory: reads and checks the attributes at load. */
    static Operator create(Node node, int opset) {
        return new ConvOperator(node);
    }

    /**
     * The factory for sessions: as {@link #create(Node, int)}, and a constant W is prepared once
     * here: packed for the GEMM ({@link Conv2dWeights}), and, for a 3x3 filter that
     * {@link Conv2dWinograd} computes (stride 1, no dilation, one group, enough channels),
     * transformed for it.
     */
    static OperatorFactory factory() {
        return OperatorFactory.preparing((node, opset, constants) -> {
            ConvOperator op = new ConvOperator(node);
            Tensor w = node.hasInput(1) ? constants.get(node.inputs().get(1)) : null;
            if (w == null || w.dtype() != DType.FLOAT || (w.shape().rank() != 4 && w.shape().rank() != 3)
                    || w.shape().dim(0) % op.group != 0) {
                return op;
            }
            int[] d = w.shape().dims();
            Tensor wc = w.contiguous();
            op.constantWeights = w;
            int kh = d.length == 4 ? d[2] : 1;
            int kw = d[d.length - 1];
            op.prepared = Conv2dWeights.pack(d[0], d[1], kh, kw, op.group, wc.floatData(), wc.offset());
            if (d.length == 4 && kh == 3 && kw == 3) {
                // a stand-in shape with the filter's geometry: Winograd's choice does not depend on the image size
                Conv2dShape probe = new Conv2dShape(1, d[1] * op.group, 3, 3, d[0], 3, 3, op.at(op.strides, 0),
                        op.at(op.strides, 1), op.at(op.dilations, 0), op.at(op.dilations, 1), 0, 0, 0, 0,
                        op.group);
                if (Conv2dWinograd.supports(probe) && d[1] >= Conv2dWinograd.MIN_CHANNELS
                        && d[0] >= Conv2dWinograd.MIN_CHANNELS) {
                    op.winograd = Conv2dWinograd.transformWeights(probe, wc.floatData(), wc.offset());
                }
            }
            return op;
        });
    }

    private int at(int[] values, int i) {
        return values == null ? 1 : values.length == 1 ? values[0] : i < values.length ? values[i] : 1;
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor x = NnInputs.floatInput(name, "X", inputs, 0);
        Tensor w = NnInputs.floatInput(name, "W", inputs, 1);
        Tensor b = inputs.length > 2 ? inputs[2] : null;
        int rank = x.shape().rank();
        if (rank == 5) {
            throw new IllegalArgumentException(name + ": 3-D convolution (5-D input " + x.shape()
                    + ") is not supported; Sprig runs 1-D and 2-D Conv");
        }
        if (rank != 3 && rank != 4) {
            throw new IllegalArgumentException(name + ": X must be N x C x L or N x C x H x W, got " + x.shape());
        }
        if (w.shape().rank() != rank) {
            throw new IllegalArgumentException(name + ": W must have the rank of X (" + rank + "), got " + w.shape());
        }
        int n = rank - 2;
        int[] in = Arrays.copyOfRange(x.shape().dims(), 2, rank);
        int[] k = Arrays.copyOfRange(w.shape().dims(), 2, rank);
        if (kernelShape != null && !Arrays.equals(kernelShape, k)) {
            throw new IllegalArgumentException(name + ": kernel_shape " + Arrays.toString(kernelShape)
                    + " does not match the spatial shape of W " + w.shape());
        }
        int channels = x.shape().dim(1);
        int outChannels = w.shape().dim(0);
        if ((long) w.shape().dim(1) * group != channels) {
            throw new IllegalArgumentException(name + ": W " + w.shape() + " must have C / group = " + channels + " / "
                    + group + " input channels on axis 1, got " + w.shape().dim(1));
        }
        int[] st = SpatialPads.perAxis(name, "strides", strides, n);
        int[] dl = SpatialPads.perAxis(name, "dilations", dilations, n);
        int[] p = SpatialPads.resolve(name, autoPad, pads, in, k, st, dl);
        Conv2dShape s = n == 2
                ? new Conv2dShape(x.shape().dim(0), channels, in[0], in[1], outChannels, k[0], k[1], st[0], st[1],
                        dl[0], dl[1], p[0], p[1], p[2], p[3], group)
                : new Conv2dShape(x.shape().dim(0), channels, 1, in[0], outChannels, 1, k[0], 1, st[0], 1, dl[0],
                        0, p[0], 0, p[1], group);
        Epilogue epilogue = Epilogue.NONE;
        if (b != null) {
            if (b.dtype() != DType.FLOAT || b.shape().rank() != 1 || b.shape().dim(0) != outChannels) {
                throw new IllegalArgumentException(name + ": B must be a FLOAT vector of " + outChannels
                        + " values (one per output channel), got " + b.dtype() + " " + b.shape());
            }
            Tensor bc = b.contiguous();
            epilogue = Epilogue.biasPerRow(bc.floatData(), bc.offset());
        }
        if (fused != null) {
            epilogue = FusedActivation.apply(fused, epilogue);
        }
        Shape outShape = n == 2 ? Shape.of(s.batch(), outChannels, s.outH(), s.outW())
                : Shape.of(s.batch(), outChannels, s.outW());
        Tensor y = context.zeros(DType.FLOAT, outShape);
        Tensor xc = x.contiguous();
        Tensor wc = w.contiguous();
        if (winograd != null && w == constantWeights && Conv2dWinograd.preferred(s)) {
            Conv2dWinograd.conv2d(s, xc.floatData(), xc.offset(), winograd, y.floatData(), 0, epilogue, context.pool());
        } else if (prepared != null && w == constantWeights) {
            Conv2d.conv2d(s, xc.floatData(), xc.offset(), prepared, y.floatData(), 0, epilogue, context.pool());
        } else {
            Conv2d.conv2d(s, xc.floatData(), xc.offset(), wc.floatData(), wc.offset(), y.floatData(), 0, epilogue,
                    context.pool());
        }
        return new Tensor[]{y};
    }
}
