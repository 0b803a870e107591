package dev.sprig.core.ops.elementwise;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Tensor;
import dev.sprig.core.ops.OperatorRegistry;

/**
 * Mod (opset 10; 13 only added bfloat16): the remainder of A / B with broadcasting.
 * {@code fmod=0} (integers only) gives the remainder with the divisor's sign (Python's %, floor
 * division); {@code fmod=1} gives C's fmod, with the dividend's sign, for FLOAT and integers.
 * An integer remainder by zero is an {@link IllegalArgumentException}.
 */
final class ModOperator {

    private ModOperator() {
    }

    static void register(OperatorRegistry r) {
        r.register("Mod", 10, (node, opset) -> {
            long fmod = node.attrInt("fmod", 0);
            if (fmod != 0 && fmod != 1) {
                throw new ModelException(node.describe() + ": attribute 'fmod' must be 0 or 1, got " + fmod);
            }
            boolean truncated = fmod == 1;
            return (in, ctx) -> {
                Tensor a = TypeRules.input("Mod", opset, in, 0, "A", TypeRules.NUMERIC);
                Tensor b = TypeRules.input("Mod", opset, in, 1, "B", TypeRules.NUMERIC);
                TypeRules.requireSameType("Mod", "A", a, "B", b);
                if (a.dtype() == DType.FLOAT) {
                    if (!truncated) {
                        throw new IllegalArgumentException("Mod on FLOAT needs fmod=1 (the spec defines fmod=0 for"
                                + " integers only)");
                    }
                    // Java's float % is C's fmod: exact, with the dividend's sign
                    return new Tensor[]{BroadcastLoops.floats(a, b, (x, y) -> x % y)};
                }
                return new Tensor[]{BroadcastLoops.longs(a, b, truncated ? ModOperator::truncatedRemainder
                        : ModOperator::flooredRemainder, a.dtype())};
            };
        });
    }

    static long truncatedRemainder(long a, long b) {
        requireNonZero(a, b);
        return a % b;
    }

    static long flooredRemainder(long a, long b) {
        requireNonZero(a, b);
        return Math.floorMod(a, b);
    }

    private static void requireNonZero(long a, long b) {
        if (b == 0) {
            throw new IllegalArgumentException("Mod: integer remainder by zero (dividend " + a + ")");
        }
    }
}
