package dev.sprig.core.ops.shape;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;

/** ONNX Size: the input's element count as an INT64 scalar. */
final class Size implements Operator {

    static Operator create(Node node, int opset) {
        return new Size();
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        return new Tensor[]{Tensor.of(new long[]{Args.input(inputs, 0, "data").size()})};
    }
}
