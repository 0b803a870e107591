package dev.sprig.core.ops.quant;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.kernels.conv.Conv2dShape;
import dev.sprig.kernels.int8.PackedQConvWeights;
import java.util.Map;

/**
 * The weights of an integer convolution that are constants of the graph (w, and its zero point
 * when given), packed for the GEMM once, when the session is created, instead of on every run.
 * The geometry is only known at run time (it depends on x), but the packing depends only on w's
 * shape and the group count, so it is made from w alone and reused when a run gets the same
 * tensors.
 */
final class ConstantWeights {

    private final Tensor weights;
    private final Tensor zero;
    private final int groups;
    private final PackedQConvWeights packed;
    /** For a depthwise w: its float filters for the exact FP32 path, else null. */
    private final FloatExactConv depthwise;

    private ConstantWeights(Tensor weights, Tensor zero, int groups, PackedQConvWeights packed,
                            FloatExactConv depthwise) {
        this.weights = weights;
        this.zero = zero;
        this.groups = groups;
        this.packed = packed;
        this.depthwise = depthwise;
    }

    /**
     * The packed weights of a conv node whose w is input {@code wInput} and w_zero_point input
     * {@code zeroInput}, or null when they are not constants (or not valid weights: the run then
     * reports what is wrong).
     */
    static ConstantWeights of(Node node, int wInput, int zeroInput, Map<String, Tensor> constants) {
        Tensor w = node.hasInput(wInput) ? constants.get(node.inputs().get(wInput)) : null;
        Tensor zero = node.hasInput(zeroInput) ? constants.get(node.inputs().get(zeroInput)) : null;
        if (w == null || node.hasInput(zeroInput) && zero == null || !QuantType.isQuantized(w.dtype())
                || w.shape().rank() < 3 || w.shape().rank() > 4) {
            return null;
        }
        int group = QuantAttributes.integer(node, "group", 1);
        int[] d = w.shape().dims();
        if (group < 1 || d[0] == 0 || d[0] % group != 0 || d[1] == 0) {
            return null;
        }
        int kh = d.length == 4 ? d[2] : 1;
        int kw = d[d.length - 1];
        // a geometry with w's K, M and groups: all the packing reads
        Conv2dShape layout = new Conv2dShape(1, d[1] * group, kh, kw, d[0], kh, kw, 1, 1, 1, 1, 0, 0, 0, 0, group);
        Tensor[] in = {zero};
        int[] wZero;
        try {
            wZero = QuantInputs.channelZeroPoints(node.describe(), "w_zero_point", in, 0, d[0], w.dtype());
        } catch (IllegalArgumentException e) {
            return null;
        }
        FloatExactConv dw = FloatExactConv.depthwise(w, wZero, group);
        // a depthwise conv runs on its float filters whenever its sums are exact (nearly always), so
        // the integer packing is made only for the rest
        return new ConstantWeights(w, zero, group, dw == null ? IntegerConv.pack(layout, w, wZero) : null, dw);
    }

    /** The packed weights when the run's w and zero point are the prepared ones, else null. */
    PackedQConvWeights packedFor(Tensor w, Tensor wZero, Conv2dShape s) {
        return w == weights && wZero == zero && s.groups() == groups ? packed : null;
    }

    /**
     * The exact FP32 path for this run when w is depthwise, the run's w and zero point are the
     * prepared ones and the sums are exact in float for x's type and zero point; else null.
     */
    FloatExactConv floatExactFor(Tensor w, Tensor wZero, Conv2dShape s, DType xType, int xZero) {
        return depthwise != null && w == weights && wZero == zero && s.groups() == groups
                && depthwise.exactFor(xType, xZero) ? depthwise : null;
    }
}
