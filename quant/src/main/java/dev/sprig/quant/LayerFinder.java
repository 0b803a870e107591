package dev.sprig.quant;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the layers to quantize in a prepared graph and the activations they read. An activation
 * read through shape-only or order-preserving ops (MaxPool, Reshape, Flatten, Transpose,
 * Squeeze, Unsqueeze, Identity) is quantized at its source with the source's parameters, and
 * again at every step of that chain with the same parameters: those ops keep values on the
 * quantization grid, so the repeated Q/DQ pairs are exact and every quantized layer still sees
 * a DequantizeLinear right before it (what QDQ-to-integer fusion looks for).
 */
final class LayerFinder {

    /** Ops whose output values are some of their input's values, unchanged. */
    static final Set<String> GRID_PRESERVING = Set.of("MaxPool", "GlobalMaxPool", "Reshape", "Flatten", "Transpose",
            "Squeeze", "Unsqueeze", "Identity");

    private final Graph graph;
    private final Map<String, Node> producers = new HashMap<>();
    private final Map<String, List<Node>> consumers = new HashMap<>();

    LayerFinder(Graph graph) {
        this.graph = graph;
        for (Node n : graph.nodes()) {
            for (String o : n.outputs()) {
                producers.put(o, n);
            }
            for (String i : n.inputs()) {
                consumers.computeIfAbsent(i, k -> new ArrayList<>()).add(n);
            }
        }
    }

    /** The Conv/Gemm/MatMul nodes {@code config} does not exclude, in graph order. */
    List<QuantizableLayer> layers(QuantConfig config) {
        List<QuantizableLayer> layers = new ArrayList<>();
        for (Node n : graph.nodes()) {
            if (!n.domain().isEmpty() || config.excludes(n)) {
                continue;
            }
            QuantizableLayer layer = switch (n.opType()) {
                case "Conv" -> conv(n);
                case "Gemm" -> gemm(n);
                case "MatMul" -> matMul(n);
                default -> null;
            };
            if (layer != null) {
                layers.add(layer);
            }
        }
        return layers;
    }

    /**
     * Every activation to quantize, mapped to the tensor whose statistics set its parameters: the
     * layers' activation inputs, and the tensors up their grid-preserving chains.
     */
    Map<String, String> activationSources(List<QuantizableLayer> layers) {
        Map<String, String> source = new LinkedHashMap<>();
        for (QuantizableLayer layer : layers) {
            for (int i : layer.activations()) {
                String x = layer.node().inputs().get(i);
                List<String> chain = new ArrayList<>();
                chain.add(x);
                String s = x;
                Node p = producers.get(s);
                while (p != null && GRID_PRESERVING.contains(p.opType()) && p.domain().isEmpty()
                        && p.outputs().size() == 1 && !p.inputs().isEmpty() && !isConstant(p.inputs().get(0))) {
                    s = p.inputs().get(0);
                    chain.add(s);
                    p = producers.get(s);
                }
                for (String t : chain) {
                    source.putIfAbsent(t, s);
                }
            }
        }
        return source;
    }

    boolean isConstant(String name) {
        return graph.initializers().containsKey(name);
    }

    private Tensor floatConstant(Node n, int input) {
        if (!n.hasInput(input)) {
            return null;
        }
        Tensor t = graph.initializers().get(n.inputs().get(input));
        return t != null && t.dtype() == DType.FLOAT ? t : null;
    }

    private QuantizableLayer conv(Node n) {
        Tensor w = floatConstant(n, 1);
        if (w == null || w.shape().rank() < 3 || isConstant(n.inputs().get(0))) {
            return null;
        }
        int m = w.shape().dim(0);
        Tensor b = floatConstant(n, 2);
        if (n.hasInput(2) && (b == null || b.shape().rank() != 1 || b.size() != m)) {
            return null;
        }
        return new QuantizableLayer(n, List.of(0), 1, 0, 1, m, QuantizableLayer.BiasSlot.INPUT, null, -1);
    }

    private QuantizableLayer gemm(Node n) {
        Tensor w = floatConstant(n, 1);
        if (w == null || w.shape().rank() != 2 || isConstant(n.inputs().get(0))) {
            return null;
        }
        boolean transB = n.attrInt("transB", 0) != 0;
        int axis = transB ? 0 : 1;
        int channels = w.shape().dim(axis);
        float alpha = n.attrFloat("alpha", 1f);
        float beta = n.attrFloat("beta", 1f);
        Tensor c = floatConstant(n, 2);
        // an INT32 bias at scale x_scale * w_scale only means the same as C when alpha = beta = 1
        boolean biasInput = alpha == 1f && beta == 1f
                && (!n.hasInput(2) || (c != null && c.shape().rank() == 1 && c.size() == channels));
        return new QuantizableLayer(n, List.of(0), 1, axis, -1, channels,
                biasInput ? QuantizableLayer.BiasSlot.INPUT : QuantizableLayer.BiasSlot.NONE, null, -1);
    }

    private QuantizableLayer matMul(Node n) {
        boolean aConst = isConstant(n.inputs().get(0));
        Tensor w = floatConstant(n, 1);
        if (aConst) {
            return null;
        }
        if (w == null) {
            // two activations (attention scores): both per tensor, no weights, no bias
            return isConstant(n.inputs().get(1)) ? null
                    : new QuantizableLayer(n, List.of(0, 1), -1, -1, -1, 0, QuantizableLayer.BiasSlot.NONE, null, -1);
        }
        if (w.shape().rank() < 2) {
            return null;
        }
        int channels = w.shape().dim(-1);
        List<Node> readers = consumers.getOrDefault(n.outputs().get(0), List.of());
        if (readers.size() == 1 && readers.get(0).opType().equals("Add") && readers.get(0).domain().isEmpty()) {
            Node add = readers.get(0);
            int other = add.inputs().get(0).equals(n.outputs().get(0)) ? 1 : 0;
            Tensor b = floatConstant(add, other);
            if (b != null && b.size() == channels && b.shape().dim(-1) == channels && !isGraphOutput(n.outputs().get(0))) {
                return new QuantizableLayer(n, List.of(0), 1, w.shape().rank() - 1, -1, channels,
                        QuantizableLayer.BiasSlot.FOLLOWING_ADD, add, other);
            }
        }
        return new QuantizableLayer(n, List.of(0), 1, w.shape().rank() - 1, -1, channels,
                QuantizableLayer.BiasSlot.NONE, null, -1);
    }

    private boolean isGraphOutput(String name) {
        return graph.outputs().stream().anyMatch(v -> v.name().equals(name));
    }
}
