package dev.sprig.core.ops.shape;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;

/**
 * ONNX Flatten: a 2-D view {@code [d0*...*d(axis-1), d(axis)*...*d(n-1)]}; axis in [0, rank],
 * negative (counted from rank) from opset 11.
 */
final class Flatten implements Operator {

    private final long axis;
    private final boolean negativeAllowed;

    private Flatten(long axis, boolean negativeAllowed) {
        this.axis = axis;
        this.negativeAllowed = negativeAllowed;
    }

    static Operator create(Node node, int opset) {
        return new Flatten(node.attrInt("axis", 1), opset >= 11);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor x = Args.input(inputs, 0, "input");
        int rank = x.shape().rank();
        if (axis > rank || axis < (negativeAllowed ? -rank : 0)) {
            throw new IllegalArgumentException("Flatten axis " + axis + " is out of range for rank " + rank + " input "
                    + x.shape() + " (expected " + (negativeAllowed ? -rank : 0) + ".." + rank + ")");
        }
        int a = (int) (axis < 0 ? axis + rank : axis);
        int[] dims = x.shape().dims();
        int outer = (int) Elements.product(dims, 0, a);
        int inner = (int) Elements.product(dims, a, rank);
        return new Tensor[]{StridedCopy.contiguous(x, context).reshape(outer, inner)};
    }
}
