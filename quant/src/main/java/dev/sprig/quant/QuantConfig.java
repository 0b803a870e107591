package dev.sprig.quant;

import java.util.Set;

/**
 * What {@link Quantizer} produces. Weights are always symmetric INT8 in [-127, 127]: per output
 * channel ({@code perChannelWeights}, the default) or per tensor. Activations are asymmetric per
 * tensor, of {@code activationType}, with ranges from {@code method} ({@code percentile} is used
 * by {@link CalibrationMethod#PERCENTILE}; {@code histogramBins} by the histogram methods).
 * Nodes named in {@code excludedNodes} and nodes whose op type is in {@code excludedOpTypes} stay
 * FP32. {@code dynamic} quantizes MatMul/Gemm weights only and their activations at run time
 * (DynamicQuantizeLinear + MatMulInteger), needing no calibration data. {@code biasCorrection}
 * shifts each quantized layer's bias so its mean output on the calibration data matches FP32.
 */
public record QuantConfig(ActivationType activationType, boolean perChannelWeights, CalibrationMethod method,
                          double percentile, int histogramBins, Set<String> excludedNodes,
                          Set<String> excludedOpTypes, boolean dynamic, boolean biasCorrection) {

    /** Checks the values; copies the sets. */
    public QuantConfig {
        if (activationType == null || method == null) {
            throw new IllegalArgumentException("activationType and method must be given");
        }
        if (!(percentile > 50 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (50, 100], got " + percentile);
        }
        if (histogramBins < 256) {
            throw new IllegalArgumentException("histogramBins must be >= 256 (the entropy search needs more bins"
                    + " than quantization levels), got " + histogramBins);
        }
        excludedNodes = Set.copyOf(excludedNodes);
        excludedOpTypes = Set.copyOf(excludedOpTypes);
    }

    /** UINT8 activations, per-channel weights, min-max ranges, 2048 bins, bias correction on. */
    public static QuantConfig defaults() {
        return new QuantConfig(ActivationType.UINT8, true, CalibrationMethod.MIN_MAX, 99.99, 2048, Set.of(), Set.of(),
                false, true);
    }

    /** These settings with another calibration method. */
    public QuantConfig withMethod(CalibrationMethod m) {
        return new QuantConfig(activationType, perChannelWeights, m, percentile, histogramBins, excludedNodes,
                excludedOpTypes, dynamic, biasCorrection);
    }

    /** These settings with another percentile (for {@link CalibrationMethod#PERCENTILE}). */
    public QuantConfig withPercentile(double p) {
        return new QuantConfig(activationType, perChannelWeights, method, p, histogramBins, excludedNodes,
                excludedOpTypes, dynamic, biasCorrection);
    }

    /** These settings with another activation type. */
    public QuantConfig withActivationType(ActivationType t) {
        return new QuantConfig(t, perChannelWeights, method, percentile, histogramBins, excludedNodes,
                excludedOpTypes, dynamic, biasCorrection);
    }

    /** These settings with per-channel (true) or per-tensor weight scales. */
    public QuantConfig withPerChannelWeights(boolean on) {
        return new QuantConfig(activationType, on, method, percentile, histogramBins, excludedNodes,
                excludedOpTypes, dynamic, biasCorrection);
    }

    /** These settings keeping the named nodes and op types in FP32. */
    public QuantConfig withExcluded(Set<String> nodeNames, Set<String> opTypes) {
        return new QuantConfig(activationType, perChannelWeights, method, percentile, histogramBins, nodeNames,
                opTypes, dynamic, biasCorrection);
    }

    /** These settings in dynamic mode (on) or static mode. */
    public QuantConfig withDynamic(boolean on) {
        return new QuantConfig(activationType, perChannelWeights, method, percentile, histogramBins, excludedNodes,
                excludedOpTypes, on, biasCorrection);
    }

    /** These settings with bias correction on or off. */
    public QuantConfig withBiasCorrection(boolean on) {
        return new QuantConfig(activationType, perChannelWeights, method, percentile, histogramBins, excludedNodes,
                excludedOpTypes, dynamic, on);
    }

    /** True when the node is to stay FP32. */
    boolean excludes(dev.sprig.core.graph.Node node) {
        return excludedNodes.contains(node.name()) || excludedOpTypes.contains(node.opType());
    }
}
