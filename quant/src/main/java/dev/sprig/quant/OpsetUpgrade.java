package dev.sprig.quant;

import dev.sprig.core.ModelException;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Attribute;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Raises a model's ai.onnx opset (QDQ with per-channel weights needs 13, dynamic quantization 11)
 * while keeping what every node computes. Most ops only gained types or attributes with
 * backward-compatible defaults between opsets 7 and 13; the ones whose inputs or defaults moved are
 * rewritten: Softmax/LogSoftmax/Hardmax (13: the axis no longer flattens to 2-D, so the old
 * meaning is written out as Flatten -> op(axis=1) -> Reshape back), attributes that became inputs
 * (Squeeze/Unsqueeze/ReduceSum axes and Split's split at 13, Clip min/max and Pad pads/value at
 * 11, Slice starts/ends/axes and TopK k at 10). Resize, Upsample and Scatter, whose semantics
 * changed in ways not written out here, and any model older than opset 7 are refused with the
 * node named.
 */
final class OpsetUpgrade {

    /** Ops refused when the upgrade crosses the opset at which their meaning changed. */
    private static final Map<String, Integer> REFUSED = Map.of("Resize", 11, "Upsample", 10, "Scatter", 11);
    private static final int OLDEST = 7;

    private OpsetUpgrade() {
    }

    /** {@code model} importing ai.onnx at {@code target} or newer (unchanged when it already does). */
    static Model raise(Model model, int target) {
        int from = model.opset("");
        if (from >= target) {
            return model;
        }
        if (from < OLDEST) {
            throw new ModelException("the model imports ai.onnx opset " + from + "; quantization raises it to " + target
                    + ", which Sprig does for opset " + OLDEST + " and newer only");
        }
        Graph g = model.graph();
        UniqueNames names = new UniqueNames(g);
        Map<String, Tensor> init = new LinkedHashMap<>(g.initializers());
        List<Node> nodes = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (!n.domain().isEmpty()) {
                nodes.add(n);
                continue;
            }
            Integer refused = REFUSED.get(n.opType());
            if (refused != null && from < refused && target >= refused) {
                throw new ModelException(n.describe() + ": its meaning changed at opset " + refused + "; Sprig cannot"
                        + " raise this model from opset " + from + " to " + target + " for quantization");
            }
            switch (n.opType()) {
                case "Softmax", "LogSoftmax", "Hardmax" -> {
                    if (from < 13 && target >= 13) {
                        softmax(n, names, init, nodes);
                    } else {
                        nodes.add(n);
                    }
                }
                case "Squeeze", "Unsqueeze", "ReduceSum" ->
                        nodes.add(from < 13 && target >= 13 ? attributeToInput(n, "axes", 1, names, init) : n);
                case "Split" -> nodes.add(from < 13 && target >= 13 ? attributeToInput(n, "split", 1, names, init) : n);
                case "Clip" -> nodes.add(from < 11 && target >= 11 ? clip(n, names, init) : n);
                case "Pad" -> nodes.add(from < 11 && target >= 11 ? pad(n, names, init) : n);
                case "Slice" -> {
                    Node s = n;
                    if (from < 10 && target >= 10) {
                        s = attributeToInput(s, "starts", 1, names, init);
                        s = attributeToInput(s, "ends", 2, names, init);
                        s = attributeToInput(s, "axes", 3, names, init);
                    }
                    nodes.add(s);
                }
                case "TopK" -> nodes.add(from < 10 && target >= 10 ? attributeToInput(n, "k", 1, names, init) : n);
                default -> nodes.add(n);
            }
        }
        Map<String, Integer> opsets = new LinkedHashMap<>(model.opsets());
        opsets.put("", target);
        Graph out = new Graph(g.name(), nodes, g.inputs(), g.outputs(), init, g.valueInfos());
        return new Model(out, opsets, Math.max(model.irVersion(), 7), model.producer());
    }

    /** Before 13 the op flattened its input to 2-D at {@code axis} (default 1) and worked on rows. */
    private static void softmax(Node n, UniqueNames names, Map<String, Tensor> init, List<Node> nodes) {
        long axis = n.attrInt("axis", 1);
        String x = n.inputs().get(0);
        String base = n.name().isEmpty() ? n.outputs().get(0) : n.name();
        String flat = names.fresh(base + "_2d");
        String rows = names.fresh(base + "_rows");
        String shape = names.fresh(base + "_shape");
        nodes.add(new Node(names.fresh(base + "_flatten"), "Flatten", "", List.of(x), List.of(flat),
                Map.of("axis", Attribute.of("axis", axis))));
        nodes.add(new Node(n.name(), n.opType(), "", List.of(flat), List.of(rows),
                Map.of("axis", Attribute.of("axis", 1L))));
        nodes.add(Node.of(names.fresh(base + "_input_shape"), "Shape", List.of(x), List.of(shape)));
        nodes.add(Node.of(names.fresh(base + "_reshape"), "Reshape", List.of(rows, shape), n.outputs()));
    }

    /** The INTS attribute {@code attr} as an INT64 constant input {@code index} (omitted inputs before it). */
    private static Node attributeToInput(Node n, String attr, int index, UniqueNames names, Map<String, Tensor> init) {
        if (!n.hasAttribute(attr)) {
            return n;
        }
        Attribute a = n.attributes().get(attr);
        long[] v = a.kind() == Attribute.Kind.INT ? new long[]{(Long) a.value()} : n.attrInts(attr, null);
        String name = names.fresh((n.name().isEmpty() ? n.outputs().get(0) : n.name()) + "_" + attr);
        init.put(name, Tensor.of(v, v.length));
        return withInput(without(n, attr), index, name);
    }

    private static Node clip(Node n, UniqueNames names, Map<String, Tensor> init) {
        Node c = without(without(n, "min"), "max");
        String base = n.name().isEmpty() ? n.outputs().get(0) : n.name();
        if (n.hasAttribute("min")) {
            String name = names.fresh(base + "_min");
            init.put(name, Tensor.scalar(n.attrFloat("min", 0)));
            c = withInput(c, 1, name);
        }
        if (n.hasAttribute("max")) {
            String name = names.fresh(base + "_max");
            init.put(name, Tensor.scalar(n.attrFloat("max", 0)));
            c = withInput(c, 2, name);
        }
        return c;
    }

    private static Node pad(Node n, UniqueNames names, Map<String, Tensor> init) {
        Node p = attributeToInput(n, "pads", 1, names, init);
        if (n.hasAttribute("value")) {
            String name = names.fresh((n.name().isEmpty() ? n.outputs().get(0) : n.name()) + "_value");
            init.put(name, Tensor.scalar(n.attrFloat("value", 0)));
            p = withInput(without(p, "value"), 2, name);
        }
        return p;
    }

    private static Node without(Node n, String attr) {
        Map<String, Attribute> a = new HashMap<>(n.attributes());
        a.remove(attr);
        return new Node(n.name(), n.opType(), n.domain(), n.inputs(), n.outputs(), a);
    }

    private static Node withInput(Node n, int index, String name) {
        List<String> in = new ArrayList<>(n.inputs());
        while (in.size() <= index) {
            in.add("");
        }
        in.set(index, name);
        return n.withInputs(in);
    }
}
