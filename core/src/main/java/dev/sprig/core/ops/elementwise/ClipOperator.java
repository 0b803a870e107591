package dev.sprig.core.ops.elementwise;

import static dev.sprig.core.ops.elementwise.ElementFunctions.FloatArrayMap.perElement;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.ops.Operator;
import dev.sprig.core.ops.OperatorRegistry;
import dev.sprig.core.ops.OutputAllocator;
import java.util.Set;

/**
 * Clip: {@code min(max(x, lo), hi)}, so a NaN input stays NaN and {@code lo > hi} gives
 * {@code hi} everywhere (the spec's rule). An absent bound is the type's lowest/highest value
 * (for FLOAT {@code -Float.MAX_VALUE}/{@code Float.MAX_VALUE}, as the spec states, so infinities
 * are clamped to the finite range).
 *
 * <p>Versions: 6 (bounds are the attributes {@code min}/{@code max}; FLOAT), 11 (bounds are
 * optional scalar inputs 1 and 2), 12 (adds the integer types). 13 only added bfloat16.
 */
final class ClipOperator {

    private ClipOperator() {
    }

    static void register(OperatorRegistry r) {
        r.register("Clip", 6, (node, opset) -> {
            float lo = node.attrFloat("min", -Float.MAX_VALUE);
            float hi = node.attrFloat("max", Float.MAX_VALUE);
            return (in, ctx) -> new Tensor[]{UnaryLoops.floats(
                    TypeRules.input("Clip", opset, in, 0, "input", TypeRules.FLOAT), clamp(lo, hi), ctx.allocator())};
        });
        r.register("Clip", 11, (node, opset) -> fromInputs(opset, TypeRules.FLOAT));
        r.register("Clip", 12, (node, opset) -> fromInputs(opset, TypeRules.NUMERIC));
    }

    private static Operator fromInputs(int opset, Set<DType> types) {
        return (in, ctx) -> {
            Tensor x = TypeRules.input("Clip", opset, in, 0, "input", types);
            Tensor min = bound(in, 1, "min", x);
            Tensor max = bound(in, 2, "max", x);
            if (x.dtype() == DType.FLOAT) {
                float lo = min == null ? -Float.MAX_VALUE : min.contiguous().floatData()[min.contiguous().offset()];
                float hi = max == null ? Float.MAX_VALUE : max.contiguous().floatData()[max.contiguous().offset()];
                return new Tensor[]{UnaryLoops.floats(x, clamp(lo, hi), ctx.allocator())};
            }
            // integers: long bounds cover every Sprig integer type's range
            long lo = min == null ? Long.MIN_VALUE : Values.longs(min)[0];
            long hi = max == null ? Long.MAX_VALUE : Values.longs(max)[0];
            return new Tensor[]{UnaryLoops.longs(x, v -> Math.min(Math.max(v, lo), hi))};
        };
    }

    private static ElementFunctions.FloatArrayMap clamp(float lo, float hi) {
        return perElement(v -> Math.min(Math.max(v, lo), hi));
    }

    /** Optional bound input {@code index}: null when omitted; else one element of X's type. */
    private static Tensor bound(Tensor[] in, int index, String name, Tensor x) {
        if (index >= in.length || in[index] == null) {
            return null;
        }
        Tensor t = in[index];
        TypeRules.requireSameType("Clip", "input", x, name, t);
        if (t.size() != 1) {
            throw new IllegalArgumentException("Clip '" + name + "' must be a scalar (one element), got shape "
                    + t.shape());
        }
        return t;
    }
}
