/**
 * Sprig's own fused operators, domain {@code dev.sprig} ({@link dev.sprig.core.ops.fused.FusedOperators}):
 * {@code FusedConv} and {@code FusedGemm} (Conv or Gemm with an activation applied in the GEMM
 * epilogue, {@link dev.sprig.core.ops.fused.FusedActivation}) and
 * {@link dev.sprig.core.ops.fused.MatMulBias} (MatMul by a constant weight with bias and activation).
 * Only the graph passes create them; they never appear in an ONNX file.
 */
package dev.sprig.core.ops.fused;
