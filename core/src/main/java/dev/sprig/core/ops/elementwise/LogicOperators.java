package dev.sprig.core.ops.elementwise;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.ops.OperatorRegistry;
import dev.sprig.core.ops.elementwise.ElementFunctions.BooleanBinary;

/**
 * The boolean ops: Not (opset 1) and And, Or, Xor with multidirectional broadcasting (opset 7;
 * opset 1's legacy broadcast attribute is not supported).
 */
final class LogicOperators {

    private LogicOperators() {
    }

    static void register(OperatorRegistry r) {
        r.register("Not", 1, (node, opset) -> (in, ctx) -> {
            Tensor x = TypeRules.input("Not", opset, in, 0, "X", TypeRules.BOOL).contiguous();
            boolean[] d = x.booleanData();
            Tensor y = Tensor.zeros(DType.BOOL, x.shape());
            boolean[] z = y.booleanData();
            for (int i = 0; i < z.length; i++) {
                z[i] = !d[x.offset() + i];
            }
            return new Tensor[]{y};
        });
        binary(r, "And", (a, b) -> a & b);
        binary(r, "Or", (a, b) -> a | b);
        binary(r, "Xor", (a, b) -> a ^ b);
    }

    private static void binary(OperatorRegistry r, String opType, BooleanBinary f) {
        r.register(opType, 7, (node, opset) -> (in, ctx) -> {
            Tensor a = TypeRules.input(opType, opset, in, 0, "A", TypeRules.BOOL);
            Tensor b = TypeRules.input(opType, opset, in, 1, "B", TypeRules.BOOL);
            return new Tensor[]{BroadcastLoops.booleans(a, b, f)};
        });
    }
}
