package dev.sprig.core.ops.reduce;

import dev.sprig.core.ops.OperatorRegistry;

/**
 * The reduction operators of ai.onnx: the ten Reduce* ops, ArgMax/ArgMin, TopK and CumSum, each
 * registered at the opset versions where its attributes or semantics changed (ONNX
 * docs/Changelog.md); versions that only widened the type list share the factory before them.
 */
public final class ReduceOperators {

    private ReduceOperators() {
    }

    /** Registers every op of the family on {@code r}. */
    public static void register(OperatorRegistry r) {
        for (Reduction kind : Reduction.values()) {
            // 11 allowed negative axes; the axes became an input in ReduceSum-13 and the others' opset 18
            int axesInput = kind == Reduction.SUM ? 13 : 18;
            r.register(kind.opType(), 1, ReduceOperator.factory(kind, false));
            r.register(kind.opType(), 11, ReduceOperator.factory(kind, false));
            r.register(kind.opType(), axesInput, ReduceOperator.factory(kind, true));
            if (kind == Reduction.MAX || kind == Reduction.MIN) {
                // 12 added int8/uint8, 20 bool
                r.register(kind.opType(), 12, ReduceOperator.factory(kind, false));
                r.register(kind.opType(), 20, ReduceOperator.factory(kind, true));
            }
        }
        // 11 allowed negative axes, 12 added select_last_index
        for (int since : new int[]{1, 11, 12}) {
            r.register("ArgMax", since, ArgExtremumOperator.factory(true));
            r.register("ArgMin", since, ArgExtremumOperator.factory(false));
        }
        // 10 made k an input, 11 added largest, sorted and negative axes
        for (int since : new int[]{1, 10, 11}) {
            r.register("TopK", since, TopKOperator::create);
        }
        r.register("CumSum", 11, CumSumOperator::create);
    }
}
