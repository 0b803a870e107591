/**
 * Integer kernels for quantized models. {@link dev.sprig.kernels.int8.Qgemm} is the integer GEMM
 * with ONNX {@code MatMulInteger} semantics (bytes read as int8 or uint8, zero points, exact int32
 * sums) over weights packed once ({@link dev.sprig.kernels.int8.PackedQMatrix}, with the sums the
 * zero-point correction needs precomputed); {@link dev.sprig.kernels.int8.QConv2d} builds
 * {@code ConvInteger} on it, and {@link dev.sprig.kernels.int8.Requantize} turns int32 accumulators
 * back into 8-bit outputs or floats. The tiles are {@link dev.sprig.kernels.int8.QgemmMicrokernelScalar}
 * and the Vector API {@link dev.sprig.kernels.int8.QgemmMicrokernel2x16v}, whose Javadoc explains
 * how it multiplies bytes without a widening multiply-add instruction. Results equal the
 * references in {@code dev.sprig.kernels.reference} exactly.
 */
package dev.sprig.kernels.int8;
