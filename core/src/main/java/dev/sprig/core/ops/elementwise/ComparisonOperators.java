package dev.sprig.core.ops.elementwise;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.ops.Operator;
import dev.sprig.core.ops.OperatorRegistry;
import dev.sprig.core.ops.elementwise.ElementFunctions.FloatComparison;
import dev.sprig.core.ops.elementwise.ElementFunctions.LongComparison;
import java.util.Set;

/**
 * Equal, Less, Greater, LessOrEqual and GreaterOrEqual with broadcasting, BOOL results. FLOAT
 * follows IEEE 754 (every comparison with NaN is false, -0 equals +0); integers compare by value
 * (UINT8 unsigned).
 *
 * <p>Versions: Equal 7 (BOOL, INT32, INT64) and 11 (every type); Less/Greater 7 (FLOAT) and 9
 * (integers too); LessOrEqual/GreaterOrEqual 12. Later versions only added bfloat16/string.
 */
final class ComparisonOperators {

    private ComparisonOperators() {
    }

    private static final Set<DType> EQUAL_7 =
            Set.of(DType.BOOL, DType.INT32, DType.INT64);

    static void register(OperatorRegistry r) {
        r.register("Equal", 7, (node, opset) -> compare("Equal", opset, EQUAL_7, (a, b) -> a == b, (a, b) -> a == b));
        r.register("Equal", 11, (node, opset) ->
                compare("Equal", opset, TypeRules.ALL, (a, b) -> a == b, (a, b) -> a == b));
        for (int since : new int[]{7, 9}) {
            Set<DType> types = since == 7 ? TypeRules.FLOAT : TypeRules.NUMERIC;
            r.register("Less", since, (node, opset) -> compare("Less", opset, types, (a, b) -> a < b, (a, b) -> a < b));
            r.register("Greater", since, (node, opset) ->
                    compare("Greater", opset, types, (a, b) -> a > b, (a, b) -> a > b));
        }
        r.register("LessOrEqual", 12, (node, opset) ->
                compare("LessOrEqual", opset, TypeRules.NUMERIC, (a, b) -> a <= b, (a, b) -> a <= b));
        r.register("GreaterOrEqual", 12, (node, opset) ->
                compare("GreaterOrEqual", opset, TypeRules.NUMERIC, (a, b) -> a >= b, (a, b) -> a >= b));
    }

    private static Operator compare(String opType, int opset, Set<DType> types, FloatComparison onFloats,
                                    LongComparison onIntegers) {
        return (in, ctx) -> {
            Tensor a = TypeRules.input(opType, opset, in, 0, "A", types);
            Tensor b = TypeRules.input(opType, opset, in, 1, "B", types);
            TypeRules.requireSameType(opType, "A", a, "B", b);
            return new Tensor[]{a.dtype() == DType.FLOAT
                    ? BroadcastLoops.compareFloats(a, b, onFloats)
                    : BroadcastLoops.compareLongs(a, b, onIntegers)};
        };
    }
}
