package dev.sprig.core.ops.elementwise;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.ops.Operator;
import dev.sprig.core.ops.OperatorRegistry;
import java.util.Set;

/**
 * Pow: {@code X ^ Y} with multidirectional broadcasting, result of X's type. FLOAT bases are
 * computed in double ({@link Math#pow}) and rounded once; integer bases with integer exponents
 * exactly (by squaring, wrapping on overflow; a negative exponent truncates the fraction to 0
 * unless the base is 1 or -1, and 0 to a negative power is a division by zero); integer bases
 * with FLOAT exponents in double, truncated toward zero.
 *
 * <p>Versions: 7 (FLOAT base and exponent), 12 (INT32/INT64 bases; the exponent's type is
 * independent: any numeric type). 13 and 15 only added bfloat16.
 */
final class PowOperator {

    private static final Set<DType> BASES_12 = TypeRules.FLOAT_INT32_INT64;

    private PowOperator() {
    }

    static void register(OperatorRegistry r) {
        r.register("Pow", 7, (node, opset) -> pow(opset, TypeRules.FLOAT, TypeRules.FLOAT));
        r.register("Pow", 12, (node, opset) -> pow(opset, BASES_12, TypeRules.NUMERIC));
    }

    private static Operator pow(int opset, Set<DType> bases, Set<DType> exponents) {
        return (in, ctx) -> {
            Tensor x = TypeRules.input("Pow", opset, in, 0, "X", bases);
            Tensor y = TypeRules.input("Pow", opset, in, 1, "Y", exponents);
            if (x.dtype() == DType.FLOAT && y.dtype() == DType.FLOAT) {
                return new Tensor[]{BroadcastLoops.floats(x, y, (a, b) -> (float) Math.pow(a, b))};
            }
            if (Values.isInteger(x.dtype()) && Values.isInteger(y.dtype())) {
                return new Tensor[]{BroadcastLoops.longs(x, y, PowOperator::integerPower, x.dtype())};
            }
            return new Tensor[]{BroadcastLoops.doubles(x, y, Math::pow, x.dtype())};
        };
    }

    /** {@code base ^ exponent} in long arithmetic (wrapping), fractions truncated toward zero. */
    static long integerPower(long base, long exponent) {
        if (exponent < 0) {
            if (base == 0) {
                throw new IllegalArgumentException("Pow: 0 to the negative power " + exponent);
            }
            if (base == 1) {
                return 1;
            }
            if (base == -1) {
                return (exponent & 1) == 0 ? 1 : -1;
            }
            return 0;
        }
        long result = 1;
        long b = base;
        long e = exponent;
        while (e != 0) {
            if ((e & 1) != 0) {
                result *= b;
            }
            b *= b;
            e >>>= 1;
        }
        return result;
    }
}
