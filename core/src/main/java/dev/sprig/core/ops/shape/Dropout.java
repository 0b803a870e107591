package dev.sprig.core.ops.shape;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;

/**
 * ONNX Dropout at inference: the output is the input and the optional mask output is all true
 * (all ones of the input's dtype in opsets 7-9, BOOL from 10). From opset 12 the ratio and
 * training_mode inputs exist; training mode would drop elements at random, which Sprig does not
 * do: it is an error unless the ratio is 0 (then training mode also keeps every element).
 */
final class Dropout implements Operator {

    private final boolean boolMask;
    private final boolean wantsMask;

    private Dropout(boolean boolMask, boolean wantsMask) {
        this.boolMask = boolMask;
        this.wantsMask = wantsMask;
    }

    static Operator create(Node node, int opset) {
        if (opset < 12 && node.hasAttribute("is_test") && node.attrInt("is_test", 1) == 0) {
            throw new ModelException(node.describe() + ": Dropout in training mode (is_test=0) is not supported");
        }
        boolean wantsMask = node.outputs().size() > 1 && !node.outputs().get(1).isEmpty();
        return new Dropout(opset >= 10, wantsMask);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor x = Args.input(inputs, 0, "data");
        Tensor training = Args.optional(inputs, 2);
        if (training != null && Elements.scalarValue(training, "Dropout training_mode") != 0) {
            Tensor ratio = Args.optional(inputs, 1);
            double r = ratio == null ? 0.5 : Elements.scalarValue(ratio, "Dropout ratio");
            if (r != 0) {
                throw new IllegalArgumentException("Dropout with training_mode=true and ratio " + r
                        + " drops elements at random; Sprig runs inference only (training_mode must be false)");
            }
        }
        if (!wantsMask) {
            return new Tensor[]{x};
        }
        DType maskType = boolMask ? DType.BOOL : x.dtype();
        Tensor mask = Tensor.zeros(maskType, x.shape());
        Elements.fill(mask.array(), 0, mask.size(), Elements.scalarArray(maskType, 1), 0);
        return new Tensor[]{x, mask};
    }
}
