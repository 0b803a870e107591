package dev.sprig.core.ops.elementwise;

import static dev.sprig.core.ops.elementwise.ElementFunctions.FloatArrayMap.perElement;

import dev.sprig.core.ops.OperatorRegistry;
import dev.sprig.core.ops.elementwise.ElementFunctions.FloatUnary;

/**
 * The trigonometric and hyperbolic functions on FLOAT, computed in double ({@link Math}) and
 * rounded once: Sin, Cos, Tan, Asin, Acos, Atan (opset 7) and Sinh, Cosh, Asinh, Acosh, Atanh
 * (opset 9); version 22 only added bfloat16/float16.
 */
final class TrigonometricOperators {

    private TrigonometricOperators() {
    }

    static void register(OperatorRegistry r) {
        add(r, "Sin", 7, x -> (float) Math.sin(x));
        add(r, "Cos", 7, x -> (float) Math.cos(x));
        add(r, "Tan", 7, x -> (float) Math.tan(x));
        add(r, "Asin", 7, x -> (float) Math.asin(x));
        add(r, "Acos", 7, x -> (float) Math.acos(x));
        add(r, "Atan", 7, x -> (float) Math.atan(x));
        add(r, "Sinh", 9, x -> (float) Math.sinh(x));
        add(r, "Cosh", 9, x -> (float) Math.cosh(x));
        add(r, "Asinh", 9, x -> (float) asinh(x));
        add(r, "Acosh", 9, x -> (float) acosh(x));
        add(r, "Atanh", 9, x -> (float) atanh(x));
    }

    /** {@code ln(x + sqrt(x^2 + 1))}, odd, without cancellation for negative x. */
    static double asinh(double x) {
        double a = Math.abs(x);
        double v = a > 1e8 ? Math.log(a) + Math.log(2) : Math.log1p(a + a * a / (1 + Math.sqrt(1 + a * a)));
        return Math.copySign(v, x);
    }

    /** {@code ln(x + sqrt(x^2 - 1))} for x >= 1, NaN below. */
    static double acosh(double x) {
        return x > 1e8 ? Math.log(x) + Math.log(2) : Math.log(x + Math.sqrt(x * x - 1));
    }

    /** {@code ln((1 + x) / (1 - x)) / 2}, accurate near 0. */
    static double atanh(double x) {
        return 0.5 * Math.log1p(2 * x / (1 - x));
    }

    private static void add(OperatorRegistry r, String opType, int since, FloatUnary f) {
        r.register(opType, since, (node, opset) ->
                UnaryLoops.operator(opType, opset, TypeRules.FLOAT, perElement(f), null));
    }
}
