/**
 * Reductions and row normalisations: Softmax, LogSoftmax and LayerNormalization over the last axis
 * ({@link dev.sprig.kernels.reduce.NormKernels}, the contract; {@link dev.sprig.kernels.reduce.NormVector},
 * the Vector API twin of {@link dev.sprig.kernels.reference.Normalization}), and the vector sums, dot
 * products and maxima they are built on ({@link dev.sprig.kernels.reduce.ReduceVector}). Vector lanes are
 * added in a fixed order, so a result does not change when C2 recompiles a loop.
 */
package dev.sprig.kernels.reduce;
