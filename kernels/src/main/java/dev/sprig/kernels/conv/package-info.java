/**
 * 2-D convolution, NCHW float32, with ONNX {@code Conv} semantics. Start with
 * {@link dev.sprig.kernels.conv.Conv2d}, which picks a path per layer: direct depthwise kernels
 * ({@link dev.sprig.kernels.conv.DepthwiseConvKernel}), a 1x1 convolution as a GEMM over the input
 * planes, or im2col written straight into the packed layout of {@link dev.sprig.kernels.gemm.Sgemm}. {@link dev.sprig.kernels.conv.Conv2dShape} holds
 * the geometry (strides, dilations, groups, asymmetric pads), {@link dev.sprig.kernels.conv.Conv2dWeights}
 * the filters packed once per session, and {@link dev.sprig.kernels.conv.Conv2dWinograd} the
 * F(2x2, 3x3) alternative for 3x3 stride-1 layers. The direct seven-deep loop of
 * {@link dev.sprig.kernels.reference.Conv2d} is the definition every path is tested against.
 */
package dev.sprig.kernels.conv;
