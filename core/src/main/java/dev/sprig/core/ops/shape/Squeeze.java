package dev.sprig.core.ops.shape;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import java.util.Arrays;

/**
 * ONNX Squeeze: a view without the listed size-1 axes (every size-1 axis when none are listed).
 * Axes are an attribute before opset 13 (negative from 11) and an optional input from 13.
 */
final class Squeeze implements Operator {

    private final long[] axesAttr;
    private final boolean axesInput;
    private final boolean negativeAllowed;

    private Squeeze(long[] axesAttr, boolean axesInput, boolean negativeAllowed) {
        this.axesAttr = axesAttr;
        this.axesInput = axesInput;
        this.negativeAllowed = negativeAllowed;
    }

    static Operator create(Node node, int opset) {
        return opset >= 13 ? new Squeeze(null, true, true)
                : new Squeeze(node.attrInts("axes", null), false, opset >= 11);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor x = Args.input(inputs, 0, "data");
        long[] axes = axesAttr;
        if (axesInput && Args.optional(inputs, 1) != null) {
            axes = Elements.longList(inputs[1], "axes");
        }
        int rank = x.shape().rank();
        boolean[] drop = new boolean[rank];
        if (axes == null) {
            for (int i = 0; i < rank; i++) {
                drop[i] = x.shape().dim(i) == 1;
            }
        } else {
            for (int a : Args.axes(axes, rank, negativeAllowed, "Squeeze axes")) {
                if (x.shape().dim(a) != 1) {
                    throw new IllegalArgumentException("Squeeze axes " + Arrays.toString(axes) + ": axis " + a + " of "
                            + x.shape() + " has size " + x.shape().dim(a) + ", not 1");
                }
                drop[a] = true;
            }
        }
        int[] dims = new int[rank];
        int n = 0;
        for (int i = 0; i < rank; i++) {
            if (!drop[i]) {
                dims[n++] = x.shape().dim(i);
            }
        }
        return new Tensor[]{StridedCopy.contiguous(x, context).reshape(Arrays.copyOf(dims, n))};
    }
}
