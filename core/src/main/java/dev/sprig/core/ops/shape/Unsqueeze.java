package dev.sprig.core.ops.shape;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;

/**
 * ONNX Unsqueeze: a view with size-1 axes inserted at the listed positions of the output (rank
 * = input rank + number of axes). Axes are a required attribute before opset 13 (negative from
 * 11) and a required input from 13.
 */
final class Unsqueeze implements Operator {

    private final long[] axesAttr;
    private final boolean negativeAllowed;

    private Unsqueeze(long[] axesAttr, boolean negativeAllowed) {
        this.axesAttr = axesAttr;
        this.negativeAllowed = negativeAllowed;
    }

    static Operator create(Node node, int opset) {
        return opset >= 13 ? new Unsqueeze(null, true) : new Unsqueeze(node.requireInts("axes"), opset >= 11);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor x = Args.input(inputs, 0, "data");
        long[] axes = axesAttr != null ? axesAttr : Elements.longList(Args.input(inputs, 1, "axes"), "axes");
        int outRank = x.shape().rank() + axes.length;
        boolean[] inserted = new boolean[outRank];
        for (int a : Args.axes(axes, outRank, negativeAllowed, "Unsqueeze axes")) {
            inserted[a] = true;
        }
        int[] dims = new int[outRank];
        for (int i = 0, j = 0; i < outRank; i++) {
            dims[i] = inserted[i] ? 1 : x.shape().dim(j++);
        }
        return new Tensor[]{StridedCopy.contiguous(x, context).reshape(dims)};
    }
}
