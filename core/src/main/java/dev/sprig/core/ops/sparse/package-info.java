/**
 * Sprig's sparse-weight operators, domain {@code dev.sprig} ({@link dev.sprig.core.ops.sparse.SparseOperators}):
 * {@link dev.sprig.core.ops.sparse.SparseMatMul} and {@link dev.sprig.core.ops.sparse.SparseConv} (1x1
 * convolutions), which hold their constant weight in one of the formats of
 * {@code dev.sprig.kernels.sparse} ({@link dev.sprig.core.ops.sparse.SparseWeightsFormat}). The
 * {@code SparseWeights} graph pass creates them from layers sparse enough that the measured crossover
 * favours a sparse kernel; their results equal the dense operator's on the same weights within
 * float rounding (the summation order differs).
 */
package dev.sprig.core.ops.sparse;
