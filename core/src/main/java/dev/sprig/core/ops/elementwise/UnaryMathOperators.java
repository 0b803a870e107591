package dev.sprig.core.ops.elementwise;

import static dev.sprig.core.ops.elementwise.ElementFunctions.FloatArrayMap.perElement;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.ops.OperatorRegistry;
import dev.sprig.core.ops.elementwise.ElementFunctions.FloatArrayMap;
import dev.sprig.kernels.KernelProvider;
import java.util.Set;
import java.util.function.LongUnaryOperator;

/**
 * The unary math ops: Sqrt, Exp, Log, Reciprocal, Neg, Abs, Floor, Ceil, Round, Sign, Erf,
 * IsNaN and IsInf. FLOAT results are the correctly rounded double-precision value (one rounding
 * to float) except Exp and Erf, which use the kernels (within the bounds {@code KernelBackend#exp}
 * and {@code ActivationVector} state). Integer versions (Neg, Abs, Sign) compute in long and
 * wrap (Neg and Abs of the type's minimum stay the minimum, as in C).
 *
 * <p>Versions: 6 for the ops that lost {@code consumed_inputs} there (Sqrt, Exp, Log,
 * Reciprocal, Neg, Abs, Floor, Ceil; 13 only added bfloat16), Sign 9, Erf 9 (FLOAT only in
 * Sprig), IsNaN 9, IsInf 10, Round 11.
 */
final class UnaryMathOperators {

    private UnaryMathOperators() {
    }

    static void register(OperatorRegistry r) {
        floatOnly(r, "Sqrt", 6, perElement(x -> (float) Math.sqrt(x)));
        floatOnly(r, "Exp", 6, (x, xo, y, yo, n) -> KernelProvider.backend().exp(x, xo, y, yo, n));
        floatOnly(r, "Log", 6, perElement(x -> (float) Math.log(x)));
        floatOnly(r, "Reciprocal", 6, perElement(x -> 1f / x));
        floatOnly(r, "Floor", 6, perElement(x -> (float) Math.floor(x)));
        floatOnly(r, "Ceil", 6, perElement(x -> (float) Math.ceil(x)));
        // Math.rint rounds halves to even, as the spec asks
        floatOnly(r, "Round", 11, perElement(x -> (float) Math.rint(x)));
        floatOnly(r, "Erf", 9, (x, xo, y, yo, n) -> KernelProvider.backend().activations().erf(x, xo, y, yo, n));
        withIntegers(r, "Neg", 6, TypeRules.SIGNED, perElement(x -> -x), v -> -v);
        withIntegers(r, "Abs", 6, TypeRules.NUMERIC, perElement(Math::abs), Math::abs);
        withIntegers(r, "Sign", 9, TypeRules.NUMERIC, perElement(Math::signum), Long::signum);

        r.register("IsNaN", 9, (node, opset) -> (in, ctx) -> new Tensor[]{
                UnaryLoops.test(TypeRules.input("IsNaN", opset, in, 0, "X", TypeRules.FLOAT), Float::isNaN)});
        r.register("IsInf", 10, (node, opset) -> {
            boolean negative = node.attrInt("detect_negative", 1) != 0;
            boolean positive = node.attrInt("detect_positive", 1) != 0;
            return (in, ctx) -> new Tensor[]{UnaryLoops.test(
                    TypeRules.input("IsInf", opset, in, 0, "X", TypeRules.FLOAT),
                    x -> (positive && x == Float.POSITIVE_INFINITY) || (negative && x == Float.NEGATIVE_INFINITY))};
        });
    }

    private static void floatOnly(OperatorRegistry r, String opType, int since, FloatArrayMap f) {
        r.register(opType, since, (node, opset) -> UnaryLoops.operator(opType, opset, TypeRules.FLOAT, f, null));
    }

    private static void withIntegers(OperatorRegistry r, String opType, int since, Set<DType> types, FloatArrayMap f,
                                     LongUnaryOperator g) {
        r.register(opType, since, (node, opset) -> UnaryLoops.operator(opType, opset, types, f, g));
    }
}
