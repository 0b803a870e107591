/**
 * ONNX import: {@link dev.sprig.onnx.OnnxModelLoader} reads a {@code .onnx} file into the core
 * graph IR, {@link dev.sprig.onnx.TensorProtos} decodes ONNX tensors (initializers, attributes and
 * test_data_set {@code .pb} files). The protobuf classes in {@code dev.sprig.onnx.proto} are
 * generated from {@code src/main/proto/onnx_subset.proto}.
 */
package dev.sprig.onnx;
