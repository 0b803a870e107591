/**
 * Reductions along axes, registered by {@link dev.sprig.core.ops.reduce.ReduceOperators#register}:
 * the ReduceSum/Mean/Max/Min/Prod/L1/L2/LogSum/LogSumExp/SumSquare family, ArgMax and ArgMin, TopK and
 * CumSum, with ONNX's {@code axes} and {@code keepdims} rules for each opset version.
 */
package dev.sprig.core.ops.reduce;
