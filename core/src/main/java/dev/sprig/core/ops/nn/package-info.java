/**
 * The neural-network operators of ai.onnx, registered by {@link dev.sprig.core.ops.nn.NnOperators#register}:
 * Conv and ConvTranspose, Gemm and MatMul, the pools (MaxPool, AveragePool, global pools),
 * BatchNormalization, InstanceNormalization, LayerNormalization, LRN, Softmax and LogSoftmax, and
 * Einsum. The heavy ones run on the kernels ({@code dev.sprig.kernels.gemm}, {@code conv},
 * {@code pool}, {@code reduce}), with constant weights packed once when the session is created.
 */
package dev.sprig.core.ops.nn;
