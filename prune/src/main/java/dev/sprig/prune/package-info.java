/**
 * Sprig prune: model transformations that remove weights. {@link dev.sprig.prune.Pruner} zeroes
 * weights of Conv/Gemm/MatMul layers (magnitude per layer or global, Wanda, N:M, 1x4 and 4x4 blocks)
 * or physically removes output channels with their consumers' inputs, then optionally refits the
 * remaining weights by layer-wise least squares against the dense model on calibration data.
 * Pruned models are ordinary models (any runtime runs them; Sprig's sparse kernels run them faster).
 */
package dev.sprig.prune;
