/**
 * Operators: the computation of one node. An {@link dev.sprig.core.ops.OperatorFactory} reads and
 * checks a node's attributes at session creation and returns its {@link dev.sprig.core.ops.Operator};
 * {@link dev.sprig.core.ops.OperatorRegistry} maps (domain, op type, opset version) to factories, and
 * {@link dev.sprig.core.ops.OperatorRegistry#standard()} holds every operator Sprig implements
 * ({@code opTypes()} lists them). While running, an operator gets an {@link dev.sprig.core.ops.OpContext}
 * (the session's thread pool and output allocator). The operators themselves are in one subpackage
 * per family: {@code elementwise}, {@code shape}, {@code nn}, {@code reduce}, {@code quant}, and
 * Sprig's own {@code fused} and {@code sparse} forms made by the graph passes.
 */
package dev.sprig.core.ops;
