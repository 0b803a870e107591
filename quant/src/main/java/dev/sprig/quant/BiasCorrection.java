package dev.sprig.quant;

import dev.sprig.core.graph.Model;
import java.util.Map;
import java.util.Set;

/**
 * Empirical bias correction: quantizing weights and inputs shifts a layer's mean output; with the
 * FP32 layer as teacher, each layer's bias gets {@code mean_fp32[c] - mean_quantized[c]} added
 * per output channel, the means taken over the calibration data. Layers are corrected one at a
 * time in graph order, each measured in the float simulation of the model with every earlier
 * layer already corrected, so a correction also absorbs the shift its inputs still carry. No
 * training loop: one pass over the data per layer.
 */
final class BiasCorrection {

    private BiasCorrection() {
    }

    /** Number of layers {@link #apply} corrects (one calibration pass each). */
    static int correctable(QuantPlan plan) {
        int n = 0;
        for (QuantizableLayer layer : plan.layers()) {
            n += layer.bias() == QuantizableLayer.BiasSlot.NONE ? 0 : 1;
        }
        return n;
    }

    /**
     * Corrects {@code plan}'s biases in place.
     *
     * @param fp32Means per layer output name, the FP32 model's channel means on {@code data}
     */
    static void apply(QuantPlan plan, Map<String, ChannelMeans> fp32Means, CalibrationData data,
                      WatchedRuns.Counter counter) {
        int total = correctable(plan);
        int done = 0;
        for (int li = 0; li < plan.layers().size(); li++) {
            QuantizableLayer layer = plan.layers().get(li);
            if (layer.bias() == QuantizableLayer.BiasSlot.NONE) {
                continue;
            }
            done++;
            Model simulated = QdqSimulation.toFloat(QdqModelBuilder.build(plan));
            ChannelMeans quantized = new ChannelMeans(layer.outputAxis());
            WatchedRuns.run(simulated, data, Set.of(layer.output()), (name, t) -> quantized.add(t), counter,
                    "bias correction " + done + "/" + total);
            double[] teacher = fp32Means.get(layer.output()).means();
            double[] student = quantized.means();
            float[] bias = plan.biases()[li];
            if (teacher.length != bias.length || student.length != bias.length) {
                throw new IllegalStateException(layer.node().describe() + ": " + bias.length + " bias channels, but "
                        + teacher.length + " FP32 and " + student.length + " quantized output channel means");
            }
            for (int c = 0; c < bias.length; c++) {
                bias[c] += (float) (teacher[c] - student[c]);
            }
        }
    }
}
