/**
 * The quantized operators, registered by {@link dev.sprig.core.ops.quant.QuantOperators#register}:
 * QuantizeLinear and DequantizeLinear (per tensor, per axis), DynamicQuantizeLinear, the integer
 * products MatMulInteger and ConvInteger (exact int32 sums), and the QLinear operators (QLinearConv,
 * QLinearMatMul, and QLinearAdd/QLinearMul of the {@code com.microsoft} domain) that requantize their
 * int32 sums to 8-bit outputs. They run on {@code dev.sprig.kernels.int8}, with constant weights
 * packed once per session.
 */
package dev.sprig.core.ops.quant;
