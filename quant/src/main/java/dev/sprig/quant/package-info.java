/**
 * Post-training quantization, FP32 to INT8, as model transformations: {@link dev.sprig.quant.Quantizer}
 * calibrates activation ranges ({@link dev.sprig.quant.Calibrator}: min-max, percentile, entropy),
 * quantizes weights per channel ({@link dev.sprig.quant.SymmetricWeights}), corrects biases
 * against the FP32 layers and writes a standard ONNX QDQ model, or quantizes MatMul/Gemm
 * dynamically. {@link dev.sprig.quant.QdqSimulation} runs a QDQ model as float ops only.
 */
package dev.sprig.quant;
