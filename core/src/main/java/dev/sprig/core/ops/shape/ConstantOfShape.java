package dev.sprig.core.ops.shape;

import dev.sprig.core.ModelException;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;

/**
 * ONNX ConstantOfShape (opset 9): a tensor of the shape given by the INT64 input, filled with the
 * single element of the {@code value} attribute (whose dtype it takes; default FLOAT 0).
 */
final class ConstantOfShape implements Operator {

    private final Tensor value;

    private ConstantOfShape(Tensor value) {
        this.value = value;
    }

    static Operator create(Node node, int opset) {
        Tensor value = node.attrTensor("value");
        if (value == null) {
            value = Tensor.of(new float[]{0f}, 1);
        } else if (value.size() != 1) {
            throw new ModelException(node.describe() + ": attribute 'value' must hold one element, got "
                    + value.dtype() + " " + value.shape());
        }
        return new ConstantOfShape(value.contiguous());
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        long[] dims = Elements.longList(Args.input(inputs, 0, "input"), "ConstantOfShape shape");
        Shape shape;
        try {
            shape = Shape.ofLongs(dims);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ConstantOfShape: " + e.getMessage(), e);
        }
        Tensor out = Tensor.zeros(value.dtype(), shape);
        Elements.fill(out.array(), 0, out.size(), value.array(), value.offset());
        return new Tensor[]{out};
    }
}
