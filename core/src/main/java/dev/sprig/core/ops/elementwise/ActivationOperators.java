package dev.sprig.core.ops.elementwise;

import static dev.sprig.core.ops.elementwise.ElementFunctions.FloatArrayMap.perElement;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.ops.Operator;
import dev.sprig.core.ops.OperatorRegistry;
import dev.sprig.core.ops.elementwise.ElementFunctions.FloatArrayMap;
import dev.sprig.kernels.KernelProvider;
import dev.sprig.kernels.elementwise.ActivationKernels;
import java.util.Set;

/**
 * The activation functions: Relu, LeakyRelu, PRelu, Elu, Selu, Celu, HardSigmoid, HardSwish,
 * Softplus, Softsign, Sigmoid, Tanh, Gelu, ThresholdedRelu, Shrink, Mish and Swish. Sigmoid,
 * Tanh and Gelu use the kernels' {@link ActivationKernels} (their stated error bounds), Relu the
 * kernels' relu; the others are computed in double per element and rounded once.
 *
 * <p>Versions: Relu 6 (FLOAT) and 14 (adds INT8, INT32, INT64); LeakyRelu, Elu, Selu,
 * HardSigmoid, Sigmoid, Tanh 6; PRelu 7 (slope broadcast onto X) and 9 (adds INT32/INT64);
 * Softplus and Softsign 1; Shrink 9 (FLOAT only in Sprig); ThresholdedRelu 10; Celu 12;
 * HardSwish 14; Mish 18; Gelu 20; Swish 24. Later versions only added bfloat16/float16.
 */
final class ActivationOperators {

    private ActivationOperators() {
    }

    static void register(OperatorRegistry r) {
        r.register("Relu", 6, (node, opset) -> UnaryLoops.operator("Relu", opset, TypeRules.FLOAT,
                (x, xo, y, yo, n) -> KernelProvider.backend().relu(x, xo, y, yo, n), null));
        r.register("Relu", 14, (node, opset) -> UnaryLoops.operator("Relu", opset, TypeRules.SIGNED,
                (x, xo, y, yo, n) -> KernelProvider.backend().relu(x, xo, y, yo, n), v -> Math.max(v, 0)));
        kernel(r, "Sigmoid", 6, (x, xo, y, yo, n) -> activations().sigmoid(x, xo, y, yo, n));
        kernel(r, "Tanh", 6, (x, xo, y, yo, n) -> activations().tanh(x, xo, y, yo, n));
        r.register("Gelu", 20, (node, opset) -> {
            String approximate = node.attrString("approximate", "none");
            FloatArrayMap f = switch (approximate) {
                case "none" -> (x, xo, y, yo, n) -> activations().gelu(x, xo, y, yo, n);
                case "tanh" -> (x, xo, y, yo, n) -> activations().geluTanh(x, xo, y, yo, n);
                default -> throw new ModelException(node.describe() + ": attribute 'approximate' must be \"none\""
                        + " or \"tanh\", got \"" + approximate + "\"");
            };
            return UnaryLoops.operator("Gelu", opset, TypeRules.FLOAT, f, null);
        });
        r.register("LeakyRelu", 6, (node, opset) -> {
            float alpha = node.attrFloat("alpha", 0.01f);
            return floatOnly("LeakyRelu", opset, x -> x < 0 ? alpha * x : x);
        });
        r.register("Elu", 6, (node, opset) -> {
            double alpha = node.attrFloat("alpha", 1f);
            return floatOnly("Elu", opset, x -> x < 0 ? (float) (alpha * Math.expm1(x)) : x);
        });
        r.register("Selu", 6, (node, opset) -> {
            double alpha = node.attrFloat("alpha", 1.67326319217681884765625f);
            double gamma = node.attrFloat("gamma", 1.05070102214813232421875f);
            return floatOnly("Selu", opset, x -> (float) (x > 0 ? gamma * x : gamma * alpha * Math.expm1(x)));
        });
        r.register("Celu", 12, (node, opset) -> {
            double alpha = node.attrFloat("alpha", 1f);
            if (alpha == 0) {
                throw new ModelException(node.describe() + ": attribute 'alpha' must not be 0 (Celu divides by it)");
            }
            return floatOnly("Celu", opset, x -> (float) (Math.max(0, x) + Math.min(0, alpha * Math.expm1(x / alpha))));
        });
        r.register("HardSigmoid", 6, (node, opset) -> {
            double alpha = node.attrFloat("alpha", 0.2f);
            double beta = node.attrFloat("beta", 0.5f);
            return floatOnly("HardSigmoid", opset, x -> (float) Math.max(0, Math.min(1, alpha * x + beta)));
        });
        r.register("HardSwish", 14, (node, opset) ->
                floatOnly("HardSwish", opset, x -> (float) (x * Math.max(0, Math.min(1, x / 6.0 + 0.5)))));
        r.register("Softplus", 1, (node, opset) -> floatOnly("Softplus", opset, ActivationOperators::softplus));
        r.register("Softsign", 1, (node, opset) ->
                floatOnly("Softsign", opset, x -> (float) (x / (1.0 + Math.abs(x)))));
        r.register("ThresholdedRelu", 10, (node, opset) -> {
            float alpha = node.attrFloat("alpha", 1f);
            return floatOnly("ThresholdedRelu", opset, x -> x > alpha ? x : 0f);
        });
        r.register("Shrink", 9, (node, opset) -> {
            float lambd = node.attrFloat("lambd", 0.5f);
            float bias = node.attrFloat("bias", 0f);
            return floatOnly("Shrink", opset, x -> x < -lambd ? x + bias : x > lambd ? x - bias : 0f);
        });
        r.register("Mish", 18, (node, opset) ->
                floatOnly("Mish", opset, x -> (float) (x * Math.tanh(softplusDouble(x)))));
        r.register("Swish", 24, (node, opset) -> {
            double alpha = node.attrFloat("alpha", 1f);
            return floatOnly("Swish", opset, x -> (float) (x / (1 + Math.exp(-alpha * x))));
        });
        r.register("PRelu", 7, (node, opset) -> prelu(opset, TypeRules.FLOAT));
        r.register("PRelu", 9, (node, opset) -> prelu(opset, TypeRules.FLOAT_INT32_INT64));
    }

    /** {@code ln(1 + e^x)} without overflow for large x or loss for very negative x. */
    static float softplus(float x) {
        return (float) softplusDouble(x);
    }

    private static double softplusDouble(double v) {
        return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
    }

    private static ActivationKernels activations() {
        return KernelProvider.backend().activations();
    }

    private static void kernel(OperatorRegistry r, String opType, int since, FloatArrayMap f) {
        r.register(opType, since, (node, opset) -> UnaryLoops.operator(opType, opset, TypeRules.FLOAT, f, null));
    }

    private static Operator floatOnly(String opType, int opset, ElementFunctions.FloatUnary f) {
        return UnaryLoops.operator(opType, opset, TypeRules.FLOAT, perElement(f), null);
    }

    /** PRelu: {@code x < 0 ? slope * x : x}, the slope broadcast onto X (unidirectionally). */
    private static Operator prelu(int opset, Set<DType> types) {
        return (in, ctx) -> {
            Tensor x = TypeRules.input("PRelu", opset, in, 0, "X", types);
            Tensor slope = TypeRules.input("PRelu", opset, in, 1, "slope", types);
            TypeRules.requireSameType("PRelu", "X", x, "slope", slope);
            if (!Shape.broadcast(x.shape(), slope.shape()).equals(x.shape())) {
                throw new IllegalArgumentException("PRelu slope " + slope.shape() + " must broadcast onto X "
                        + x.shape() + " without changing X's shape");
            }
            Tensor y = x.dtype() == DType.FLOAT
                    ? BroadcastLoops.floats(x, slope, (v, s) -> v < 0 ? s * v : v)
                    : BroadcastLoops.longs(x, slope, (v, s) -> v < 0 ? s * v : v, x.dtype());
            return new Tensor[]{y};
        };
    }
}
