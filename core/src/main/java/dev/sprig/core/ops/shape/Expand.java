package dev.sprig.core.ops.shape;

import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import java.util.Arrays;

/**
 * ONNX Expand (opset 8): the input broadcast (numpy rules, both ways) against the shape input;
 * copied from a view whose broadcast axes have stride 0.
 */
final class Expand implements Operator {

    static Operator create(Node node, int opset) {
        return new Expand();
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor x = Args.input(inputs, 0, "input");
        long[] requested = Elements.longList(Args.input(inputs, 1, "shape"), "Expand shape");
        Shape target;
        try {
            target = Shape.broadcast(x.shape(), Shape.ofLongs(requested));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Expand of " + x.shape() + " to " + Arrays.toString(requested) + ": "
                    + e.getMessage(), e);
        }
        int rank = target.rank();
        int[] own = x.strides();
        int[] strides = new int[rank];
        for (int i = 0; i < rank; i++) {
            int j = i - (rank - x.shape().rank());
            strides[i] = j < 0 || x.shape().dim(j) == 1 ? 0 : own[j];
        }
        return new Tensor[]{StridedCopy.copy(x.dtype(), x.array(), x.offset(), target.dims(), strides,
                context)};
    }
}
