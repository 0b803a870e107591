package dev.sprig.quant;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Attribute;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import dev.sprig.core.graph.ValueInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a {@link QuantPlan} as a standard ONNX QDQ model: every planned activation gets a
 * {@code QuantizeLinear -> DequantizeLinear} pair right after it is produced and its readers read
 * the dequantized value; each layer's weight becomes an INT8 initializer with per-channel (or
 * per-tensor) scales and a DequantizeLinear (axis = the output-channel axis: 0 for Conv, 1 for
 * MatMul's and Gemm's B, 0 for Gemm's B when transB); Conv/Gemm biases become INT32 at scale
 * {@code x_scale * w_scale[c]} with a DequantizeLinear (axis 0). The float weights that only the
 * quantized layers read are dropped. Graph outputs keep their FP32 values.
 */
final class QdqModelBuilder {

    private QdqModelBuilder() {
    }

    static Model build(QuantPlan plan) {
        Graph g = plan.model().graph();
        UniqueNames names = new UniqueNames(g);
        Map<String, Tensor> init = new LinkedHashMap<>(g.initializers());
        List<Node> nodes = new ArrayList<>();
        // activation -> its dequantized name
        Map<String, String> dq = new HashMap<>();
        Map<Node, Integer> layerOf = new HashMap<>();
        Map<Node, Integer> biasAddOf = new HashMap<>();
        for (int i = 0; i < plan.layers().size(); i++) {
            QuantizableLayer layer = plan.layers().get(i);
            layerOf.put(layer.node(), i);
            if (layer.bias() == QuantizableLayer.BiasSlot.FOLLOWING_ADD) {
                biasAddOf.put(layer.biasAdd(), i);
            }
        }
        for (ValueInfo in : g.inputs()) {
            if (plan.sources().containsKey(in.name())) {
                quantizeActivation(in.name(), plan, names, init, nodes, dq);
            }
        }
        for (Node node : g.nodes()) {
            List<String> inputs = new ArrayList<>(node.inputs());
            for (int j = 0; j < inputs.size(); j++) {
                inputs.set(j, dq.getOrDefault(inputs.get(j), inputs.get(j)));
            }
            Integer li = layerOf.get(node);
            if (li != null) {
                QuantizableLayer layer = plan.layers().get(li);
                if (layer.weightInput() >= 0) {
                    inputs.set(layer.weightInput(), quantizeWeight(layer, li, plan, names, init, nodes));
                }
                if (layer.bias() == QuantizableLayer.BiasSlot.INPUT) {
                    while (inputs.size() < 3) {
                        inputs.add("");
                    }
                    inputs.set(2, quantizeBias(layer, li, plan, names, init, nodes));
                }
            }
            Integer ai = biasAddOf.get(node);
            if (ai != null) {
                QuantizableLayer layer = plan.layers().get(ai);
                Tensor old = g.initializers().get(node.inputs().get(layer.biasAddInput()));
                String name = names.fresh(node.inputs().get(layer.biasAddInput()) + "_corrected");
                init.put(name, Tensor.wrap(DType.FLOAT, plan.biases()[ai].clone(), old.shape()));
                inputs.set(layer.biasAddInput(), name);
            }
            nodes.add(node.withInputs(inputs));
            for (String out : node.outputs()) {
                if (plan.sources().containsKey(out)) {
                    quantizeActivation(out, plan, names, init, nodes, dq);
                }
            }
        }
        Graph out = new Graph(g.name(), nodes, g.inputs(), g.outputs(), liveInitializers(init, nodes, g), g.valueInfos());
        return new Model(out, plan.model().opsets(), plan.model().irVersion(), plan.model().producer());
    }

    private static void quantizeActivation(String x, QuantPlan plan, UniqueNames names, Map<String, Tensor> init,
                                           List<Node> nodes, Map<String, String> dq) {
        QuantParams p = plan.params(x);
        String scale = names.fresh(x + "_scale");
        String zero = names.fresh(x + "_zero_point");
        String q = names.fresh(x + "_quantized");
        String d = names.fresh(x + "_dequantized");
        init.put(scale, Tensor.scalar(p.scale()));
        init.put(zero, Tensor.wrap(p.type().dtype(), new byte[]{(byte) p.zeroPoint()}, Shape.scalar()));
        nodes.add(new Node(names.fresh(x + "_QuantizeLinear"), "QuantizeLinear", "", List.of(x, scale, zero),
                List.of(q), Map.of()));
        nodes.add(new Node(names.fresh(x + "_DequantizeLinear"), "DequantizeLinear", "", List.of(q, scale, zero),
                List.of(d), Map.of()));
        dq.put(x, d);
    }

    private static String quantizeWeight(QuantizableLayer layer, int li, QuantPlan plan, UniqueNames names,
                                         Map<String, Tensor> init, List<Node> nodes) {
        String w = layer.node().inputs().get(layer.weightInput());
        SymmetricWeights sw = plan.weights()[li];
        String q = names.fresh(w + "_quantized");
        String scale = names.fresh(w + "_scale");
        String d = names.fresh(w + "_dequantized");
        init.put(q, sw.values());
        Map<String, Attribute> attrs = new HashMap<>();
        if (sw.axis() >= 0) {
            init.put(scale, Tensor.of(sw.scales().clone(), sw.scales().length));
            attrs.put("axis", Attribute.of("axis", (long) sw.axis()));
        } else {
            init.put(scale, Tensor.scalar(sw.scales()[0]));
        }
        // no zero point: symmetric weights have zero point 0, which an omitted one means, and the
        // INT8 type comes from the weight itself
        nodes.add(new Node(names.fresh(w + "_DequantizeLinear"), "DequantizeLinear", "", List.of(q, scale),
                List.of(d), attrs));
        return d;
    }

    private static String quantizeBias(QuantizableLayer layer, int li, QuantPlan plan, UniqueNames names,
                                       Map<String, Tensor> init, List<Node> nodes) {
        String base = layer.node().hasInput(2) ? layer.node().inputs().get(2)
                : (layer.node().name().isEmpty() ? layer.output() : layer.node().name()) + "_bias";
        float[] bias = plan.biases()[li];
        float[] scales = plan.biasScales(li);
        int[] q = new int[bias.length];
        for (int c = 0; c < bias.length; c++) {
            float s = scales[scales.length == 1 ? 0 : c];
            double r = Math.rint(bias[c] / s);
            q[c] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, r));
        }
        String qn = names.fresh(base + "_quantized");
        String sn = names.fresh(base + "_scale");
        String d = names.fresh(base + "_dequantized");
        init.put(qn, Tensor.of(q, q.length));
        Map<String, Attribute> attrs = new HashMap<>();
        if (scales.length > 1) {
            init.put(sn, Tensor.of(scales.clone(), scales.length));
            attrs.put("axis", Attribute.of("axis", 0L));
        } else {
            init.put(sn, Tensor.scalar(scales[0]));
        }
        // no zero point: an INT32 bias is symmetric, and an omitted zero point is 0
        nodes.add(new Node(names.fresh(base + "_DequantizeLinear"), "DequantizeLinear", "", List.of(qn, sn),
                List.of(d), attrs));
        return d;
    }

    /** The initializers some node or graph output still reads, in their original order. */
    static Map<String, Tensor> liveInitializers(Map<String, Tensor> init, List<Node> nodes, Graph g) {
        Set<String> read = new HashSet<>();
        nodes.forEach(n -> read.addAll(n.inputs()));
        g.outputs().forEach(v -> read.add(v.name()));
        Map<String, Tensor> live = new LinkedHashMap<>();
        init.forEach((k, v) -> {
            if (read.contains(k)) {
                live.put(k, v);
            }
        });
        return live;
    }
}
