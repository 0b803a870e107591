/**
 * Sparse weight formats and the sparse-times-dense products that run pruned layers. A weight is
 * converted once, at session creation, into a {@link dev.sprig.kernels.sparse.SparseMatrix}:
 * {@link dev.sprig.kernels.sparse.CsrMatrix} for unstructured sparsity,
 * {@link dev.sprig.kernels.sparse.BlockCsrMatrix} for 1x4 blocks, {@link dev.sprig.kernels.sparse.Compressed2to4Matrix}
 * for 2:4 ({@link dev.sprig.kernels.sparse.SparseFormat} lists what each stores per weight). Start with
 * {@link dev.sprig.kernels.sparse.Spmm}: its two products ({@code C = W * X} and {@code Y = X * W^T})
 * split the work over threads and call the backend's {@link dev.sprig.kernels.sparse.SpmmKernels}.
 * Each product computes what the dense kernel computes on the same zero-filled weights; the loops
 * of {@link dev.sprig.kernels.reference.SparseMatmul} are the definition.
 */
package dev.sprig.kernels.sparse;
