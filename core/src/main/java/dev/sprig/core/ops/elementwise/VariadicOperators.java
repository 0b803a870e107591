package dev.sprig.core.ops.elementwise;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.ops.BroadcastBinary;
import dev.sprig.core.ops.Operator;
import dev.sprig.core.ops.OperatorRegistry;
import dev.sprig.core.ops.OutputAllocator;
import dev.sprig.kernels.BinaryOp;
import java.util.Set;

/**
 * The variadic reductions across inputs: Min, Max, Sum and Mean of one or more tensors,
 * folded left to right ({@code ((x0 op x1) op x2) ...}; pairwise broadcasting gives the same
 * shape as broadcasting all at once). Min/Max propagate NaN ({@link Math#min}); Mean is the sum
 * divided by the input count.
 *
 * <p>Versions: 6 (inputs of equal shapes, FLOAT), 8 (multidirectional broadcasting), and for
 * Min/Max 12 (adds the integer types). 13 only added bfloat16.
 */
final class VariadicOperators {

    private VariadicOperators() {
    }

    private enum Fold { MIN, MAX, SUM, MEAN }

    static void register(OperatorRegistry r) {
        for (Fold f : Fold.values()) {
            String opType = opType(f);
            r.register(opType, 6, (node, opset) -> fold(opType, opset, f, false, TypeRules.FLOAT));
            r.register(opType, 8, (node, opset) -> fold(opType, opset, f, true, TypeRules.FLOAT));
        }
        r.register("Min", 12, (node, opset) -> fold("Min", opset, Fold.MIN, true, TypeRules.NUMERIC));
        r.register("Max", 12, (node, opset) -> fold("Max", opset, Fold.MAX, true, TypeRules.NUMERIC));
    }

    private static String opType(Fold f) {
        return switch (f) {
            case MIN -> "Min";
            case MAX -> "Max";
            case SUM -> "Sum";
            case MEAN -> "Mean";
        };
    }

    private static Operator fold(String opType, int opset, Fold f, boolean broadcast, Set<DType> types) {
        return (in, ctx) -> {
            if (in.length == 0) {
                throw new IllegalArgumentException(opType + " needs at least one input, got none");
            }
            Tensor first = TypeRules.input(opType, opset, in, 0, "data_0", types);
            for (int i = 1; i < in.length; i++) {
                Tensor t = TypeRules.input(opType, opset, in, i, "data_" + i, types);
                TypeRules.requireSameType(opType, "data_0", first, "data_" + i, t);
                if (!broadcast && !t.shape().equals(first.shape())) {
                    throw new IllegalArgumentException(opType + " (opset " + opset + ") needs inputs of one shape,"
                            + " got " + first.shape() + " and " + t.shape() + " (broadcasting starts at opset 8)");
                }
            }
            Tensor acc = in.length == 1 ? copy(first) : combine(f, first, in[1]);
            for (int i = 2; i < in.length; i++) {
                acc = combine(f, acc, in[i]);
            }
            if (f == Fold.MEAN) {
                acc = BroadcastBinary.apply(BinaryOp.DIV, acc, Tensor.scalar(in.length), OutputAllocator.FRESH);
            }
            return new Tensor[]{acc};
        };
    }

    private static Tensor combine(Fold f, Tensor a, Tensor b) {
        if (a.dtype() == DType.FLOAT) {
            return switch (f) {
                case MIN -> BroadcastLoops.floats(a, b, Math::min);
                case MAX -> BroadcastLoops.floats(a, b, Math::max);
                case SUM, MEAN -> BroadcastBinary.apply(BinaryOp.ADD, a, b, OutputAllocator.FRESH);
            };
        }
        return BroadcastLoops.longs(a, b, f == Fold.MIN ? Math::min : Math::max, a.dtype());
    }

    /** A single input's result: a copy, so the output never aliases the input. */
    private static Tensor copy(Tensor t) {
        if (t.dtype() == DType.FLOAT) {
            return UnaryLoops.floats(t, (x, xo, y, yo, n) -> System.arraycopy(x, xo, y, yo, n), OutputAllocator.FRESH);
        }
        return Values.fromLongs(Values.longs(t), t.dtype(), t.shape());
    }
}
