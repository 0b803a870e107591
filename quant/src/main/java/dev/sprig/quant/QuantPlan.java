package dev.sprig.quant;

import dev.sprig.core.graph.Model;
import java.util.List;
import java.util.Map;

/**
 * Everything decided about a static quantization before it is written as a graph: the prepared
 * FP32 model, its layers, each activation's parameter source and the parameters per source, the
 * quantized weights, and the float biases (index-aligned with {@code layers}; null where a layer
 * has no bias slot). Bias correction changes only {@code biases}.
 */
record QuantPlan(Model model, List<QuantizableLayer> layers, Map<String, String> sources,
                 Map<String, QuantParams> sourceParams, SymmetricWeights[] weights, float[][] biases) {

    /** The parameters activation {@code x} is quantized with. */
    QuantParams params(String x) {
        String s = sources.get(x);
        QuantParams p = s == null ? null : sourceParams.get(s);
        if (p == null) {
            throw new IllegalStateException("activation '" + x + "' has no quantization parameters");
        }
        return p;
    }

    /** Scales of layer {@code li}'s INT32 bias: input scale times each weight scale, in float. */
    float[] biasScales(int li) {
        QuantizableLayer layer = layers.get(li);
        float xs = params(layer.node().inputs().get(layer.activations().get(0))).scale();
        float[] ws = weights[li].scales();
        float[] out = new float[ws.length];
        for (int c = 0; c < ws.length; c++) {
            out[c] = xs * ws[c];
        }
        return out;
    }
}
