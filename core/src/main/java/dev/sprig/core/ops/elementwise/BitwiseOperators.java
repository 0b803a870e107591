package dev.sprig.core.ops.elementwise;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Tensor;
import dev.sprig.core.ops.OperatorRegistry;
import java.util.Set;
import java.util.function.LongBinaryOperator;

/**
 * Bit operations on integer tensors with broadcasting: BitwiseAnd, BitwiseOr, BitwiseXor and
 * BitwiseNot (opset 18; INT8, UINT8, INT32, INT64) and BitShift (opset 11; the spec allows
 * unsigned types only, of which Sprig has UINT8). Computed on the sign-extended (UINT8:
 * zero-extended) long and narrowed back, which keeps exactly the type's bits.
 */
final class BitwiseOperators {

    private static final Set<DType> INTEGERS = Set.of(DType.INT8, DType.UINT8, DType.INT32, DType.INT64);

    private BitwiseOperators() {
    }

    static void register(OperatorRegistry r) {
        binary(r, "BitwiseAnd", (a, b) -> a & b);
        binary(r, "BitwiseOr", (a, b) -> a | b);
        binary(r, "BitwiseXor", (a, b) -> a ^ b);
        r.register("BitwiseNot", 18, (node, opset) -> (in, ctx) -> new Tensor[]{UnaryLoops.longs(
                TypeRules.input("BitwiseNot", opset, in, 0, "X", INTEGERS), v -> ~v)});
        r.register("BitShift", 11, (node, opset) -> {
            String direction = node.attrString("direction", "");
            boolean left = switch (direction) {
                case "LEFT" -> true;
                case "RIGHT" -> false;
                default -> throw new ModelException(node.describe() + ": attribute 'direction' must be \"LEFT\" or"
                        + " \"RIGHT\", got \"" + direction + "\"");
            };
            return (in, ctx) -> {
                Set<DType> unsigned = Set.of(DType.UINT8);
                Tensor x = TypeRules.input("BitShift", opset, in, 0, "X", unsigned);
                Tensor y = TypeRules.input("BitShift", opset, in, 1, "Y", unsigned);
                // the values are non-negative (unsigned); shifting 64 or more bits leaves nothing
                LongBinaryOperator shift = left ? (a, s) -> s >= 64 ? 0 : a << s : (a, s) -> s >= 64 ? 0 : a >>> s;
                return new Tensor[]{BroadcastLoops.longs(x, y, shift, x.dtype())};
            };
        });
    }

    private static void binary(OperatorRegistry r, String opType, LongBinaryOperator f) {
        r.register(opType, 18, (node, opset) -> (in, ctx) -> {
            Tensor a = TypeRules.input(opType, opset, in, 0, "A", INTEGERS);
            Tensor b = TypeRules.input(opType, opset, in, 1, "B", INTEGERS);
            TypeRules.requireSameType(opType, "A", a, "B", b);
            return new Tensor[]{BroadcastLoops.longs(a, b, f, a.dtype())};
        });
    }
}
