/**
 * 2-D pooling over NCHW float32 planes: ONNX MaxPool, AveragePool, GlobalMaxPool and
 * GlobalAveragePool. {@link dev.sprig.kernels.pool.PoolGeometry} holds the window, strides, dilations,
 * pads and {@code ceil_mode} and computes the output size; {@link dev.sprig.kernels.pool.PoolKernels}
 * is the contract, implemented by the reference loops ({@link dev.sprig.kernels.pool.PoolKernelsScalar})
 * and by {@link dev.sprig.kernels.pool.PoolVector}, vectorised along the output row.
 */
package dev.sprig.kernels.pool;
