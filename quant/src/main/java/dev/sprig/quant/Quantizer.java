package dev.sprig.quant;

import dev.sprig.core.ModelException;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Post-training quantization of an FP32 model into a standard ONNX QDQ model.
 *
 * <pre>{@code
 * Model int8 = Quantizer.quantize(fp32, CalibrationData.of(samples), QuantConfig.defaults());
 * }</pre>
 *
 * <p>Static mode: the model is prepared ({@link ModelPreparation}: opset 13, folds), its
 * Conv/Gemm/MatMul layers found, the activations they read calibrated on the data
 * ({@link Calibrator}), weights quantized per channel ({@link SymmetricWeights}), biases corrected
 * against the FP32 layers ({@link BiasCorrection}) and the result written with
 * QuantizeLinear/DequantizeLinear pairs ({@link QdqModelBuilder}). Dynamic mode
 * ({@link QuantConfig#dynamic()}) quantizes MatMul/Gemm weights only and needs no data
 * ({@link DynamicQuantization}).
 */
public final class Quantizer {

    /** Opset of the QDQ output: per-axis DequantizeLinear needs 13. */
    static final int QDQ_OPSET = 13;
    /** Opset of dynamic quantization: DynamicQuantizeLinear needs 11. */
    static final int DYNAMIC_OPSET = 11;

    private Quantizer() {
    }

    /** {@link #quantize(Model, CalibrationData, QuantConfig, QuantProgress)} without progress reports. */
    public static Model quantize(Model model, CalibrationData data, QuantConfig config) {
        return quantize(model, data, config, QuantProgress.NONE);
    }

    /**
     * The quantized version of {@code model}.
     *
     * @param data     calibration inputs (ignored in dynamic mode)
     * @param progress told after every model run of calibration and bias correction
     * @throws ModelException           when the model is already quantized or cannot be raised to
     *                                  the opset the quantized ops need
     * @throws IllegalArgumentException when static mode gets no data, or the data does not fit
     *                                  the model
     */
    public static Model quantize(Model model, CalibrationData data, QuantConfig config, QuantProgress progress) {
        for (Node n : model.graph().nodes()) {
            if (n.opType().equals("QuantizeLinear") || n.opType().equals("DynamicQuantizeLinear")
                    || n.opType().startsWith("QLinear") || n.opType().endsWith("Integer")) {
                throw new ModelException(n.describe() + ": the model is already quantized");
            }
        }
        if (config.dynamic()) {
            return DynamicQuantization.apply(ModelPreparation.prepare(model, DYNAMIC_OPSET), config);
        }
        QuantPlan plan = plan(ModelPreparation.prepare(model, QDQ_OPSET), data, config, progress);
        return QdqModelBuilder.build(plan);
    }

    /** Calibrates and quantizes the weights of a prepared model; corrects biases when configured. */
    static QuantPlan plan(Model prepared, CalibrationData data, QuantConfig config, QuantProgress progress) {
        Graph g = prepared.graph();
        LayerFinder finder = new LayerFinder(g);
        List<QuantizableLayer> layers = finder.layers(config);
        Map<String, String> sources = finder.activationSources(layers);
        Set<String> sourceTensors = new LinkedHashSet<>(sources.values());
        Calibrator calibrator = new Calibrator(config);
        SymmetricWeights[] weights = new SymmetricWeights[layers.size()];
        float[][] biases = new float[layers.size()][];
        Map<String, Integer> meanAxes = new HashMap<>();
        for (int i = 0; i < layers.size(); i++) {
            QuantizableLayer layer = layers.get(i);
            if (layer.weightInput() >= 0) {
                Tensor w = g.initializers().get(layer.node().inputs().get(layer.weightInput()));
                weights[i] = config.perChannelWeights() ? SymmetricWeights.perChannel(w, layer.weightAxis())
                        : SymmetricWeights.perTensor(w);
            }
            biases[i] = initialBias(layer, g);
            if (biases[i] != null && config.biasCorrection()) {
                meanAxes.put(layer.output(), layer.outputAxis());
            }
        }
        long runs = calibrator.runs(data.size());
        QuantPlan probe = new QuantPlan(prepared, layers, sources, Map.of(), weights, biases);
        boolean correct = config.biasCorrection() && data.size() > 0;
        if (correct) {
            runs += (long) BiasCorrection.correctable(probe) * data.size();
        }
        WatchedRuns.Counter counter = new WatchedRuns.Counter(progress, runs);
        Map<String, ChannelMeans> fp32Means = new HashMap<>();
        Map<String, TensorRange> ranges = calibrator.ranges(prepared, data, sourceTensors,
                correct ? meanAxes : Map.of(), fp32Means, counter);
        Map<String, QuantParams> params = new HashMap<>();
        ranges.forEach((name, r) -> params.put(name, QuantParams.forRange(r, config.activationType())));
        QuantPlan plan = new QuantPlan(prepared, layers, sources, params, weights, biases);
        if (correct) {
            BiasCorrection.apply(plan, fp32Means, data, counter);
        }
        return plan;
    }

    /** The layer's float bias per channel (zeros when it has none yet), or null when it has no bias slot. */
    private static float[] initialBias(QuantizableLayer layer, Graph g) {
        return switch (layer.bias()) {
            case NONE -> null;
            case INPUT -> layer.node().hasInput(2)
                    ? toFloats(g.initializers().get(layer.node().inputs().get(2)))
                    : new float[layer.channels()];
            case FOLLOWING_ADD -> toFloats(g.initializers().get(layer.biasAdd().inputs().get(layer.biasAddInput())));
        };
    }

    private static float[] toFloats(Tensor t) {
        double[] d = t.toDoubleArray();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /**
     * Bytes of the model's initializers, counted as stored ({@link dev.sprig.core.DType#byteSize()}
     * per element): what its weights cost on disk and in memory.
     */
    public static long initializerBytes(Model model) {
        long bytes = 0;
        for (Tensor t : model.graph().initializers().values()) {
            bytes += (long) t.size() * t.dtype().byteSize();
        }
        return bytes;
    }
}
