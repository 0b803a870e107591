package dev.sprig.core.ops.shape;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;

/** ONNX Identity: the input itself (no copy; consumers only read it). */
final class Identity implements Operator {

    static Operator create(Node node, int opset) {
        return new Identity();
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        return new Tensor[]{Args.input(inputs, 0, "input")};
    }
}
