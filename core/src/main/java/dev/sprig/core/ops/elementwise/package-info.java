/**
 * The elementwise operators of ai.onnx, registered by
 * {@link dev.sprig.core.ops.elementwise.ElementwiseOperators#register}: arithmetic (Add, Sub, Mul, Div,
 * Pow, Mod) with multidirectional broadcasting, unary math, trigonometric functions, activations
 * (Relu, Sigmoid, Gelu...), comparisons, logic and bitwise operators, Cast, Clip, Where and the
 * variadic Min, Max, Sum and Mean. FLOAT arithmetic goes to the kernels through
 * {@link dev.sprig.core.ops.BroadcastBinary}; integer types are computed in {@code long} and narrowed
 * back with wrap-around; transcendental FLOAT functions are computed in double and rounded once.
 */
package dev.sprig.core.ops.elementwise;
