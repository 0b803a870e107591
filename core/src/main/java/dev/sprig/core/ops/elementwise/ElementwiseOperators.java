package dev.sprig.core.ops.elementwise;

import dev.sprig.core.ops.OperatorRegistry;

/**
 * The elementwise operator family of ai.onnx: arithmetic (Add, Sub, Mul, Div, Pow, Mod), unary
 * math (Sqrt, Exp, Log, Reciprocal, Neg, Abs, Floor, Ceil, Round, Sign, Erf, IsNaN, IsInf),
 * trigonometric and hyperbolic functions, bitwise ops and BitShift, activations (Relu, LeakyRelu,
 * PRelu, Elu, Selu, Celu, HardSigmoid, HardSwish, Softplus, Softsign, Sigmoid, Tanh, Gelu,
 * ThresholdedRelu, Shrink, Mish, Swish), Clip, the variadic Min, Max, Sum, Mean, comparisons (Equal,
 * Less, Greater, LessOrEqual, GreaterOrEqual), logic (Not, And, Or, Xor), Cast, CastLike and
 * Where. All broadcast with ONNX multidirectional rules through one index walk,
 * {@link Broadcast}; each op class states the opset versions it registers and why.
 */
public final class ElementwiseOperators {

    private ElementwiseOperators() {
    }

    /** Registers every elementwise operator in {@code r}. */
    public static void register(OperatorRegistry r) {
        ArithmeticOperators.register(r);
        PowOperator.register(r);
        ModOperator.register(r);
        UnaryMathOperators.register(r);
        TrigonometricOperators.register(r);
        BitwiseOperators.register(r);
        ActivationOperators.register(r);
        ClipOperator.register(r);
        VariadicOperators.register(r);
        ComparisonOperators.register(r);
        LogicOperators.register(r);
        CastOperator.register(r);
        WhereOperator.register(r);
    }
}
