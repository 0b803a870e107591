package dev.sprig.core.ops.shape;

import dev.sprig.core.ModelException;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import java.util.ArrayList;
import java.util.List;

/**
 * ONNX Constant: the tensor held by exactly one of its attributes, built once at load: {@code value}
 * (a tensor), {@code value_float} / {@code value_int} (scalars, FLOAT / INT64), {@code value_floats}
 * / {@code value_ints} (1-D). String and sparse constants are rejected at load. Every run returns
 * the same tensor, which consumers only read.
 */
final class Constant implements Operator {

    private static final List<String> UNSUPPORTED = List.of("sparse_value", "value_string", "value_strings");
    private static final List<String> SUPPORTED =
            List.of("value", "value_float", "value_floats", "value_int", "value_ints");

    private final Tensor value;

    private Constant(Tensor value) {
        this.value = value;
    }

    static Operator create(Node node, int opset) {
        for (String attr : UNSUPPORTED) {
            if (node.hasAttribute(attr)) {
                throw new ModelException(node.describe() + ": Constant attribute '" + attr
                        + "' is not supported (Sprig has no string or sparse tensors); expected one of " + SUPPORTED);
            }
        }
        List<String> present = new ArrayList<>();
        for (String attr : SUPPORTED) {
            if (node.hasAttribute(attr)) {
                present.add(attr);
            }
        }
        if (present.size() != 1) {
            throw new ModelException(node.describe() + ": Constant needs exactly one of " + SUPPORTED + ", found "
                    + present);
        }
        Tensor t = switch (present.getFirst()) {
            case "value" -> node.attrTensor("value");
            case "value_float" -> Tensor.scalar(node.attrFloat("value_float", 0));
            case "value_floats" -> {
                float[] v = node.attrFloats("value_floats", null);
                yield Tensor.of(v, v.length);
            }
            case "value_int" -> Tensor.of(new long[]{node.attrInt("value_int", 0)});
            default -> {
                long[] v = node.attrInts("value_ints", null);
                yield Tensor.of(v, v.length);
            }
        };
        return new Constant(t);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        return new Tensor[]{value};
    }
}
