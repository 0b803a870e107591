package dev.sprig.prune;

import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A layer whose weight is a constant that pruning may change: a Conv, a Gemm (transA = 0) or a
 * MatMul with a 2-D constant right operand, each the only reader of its weight. The weight is seen
 * as the matrix {@code W[o][r]} (one row per output channel, one column per reduction element),
 * whatever its storage order.
 *
 * @param nodeIndex   position of the node in the graph's node list
 * @param node        the node
 * @param weightName  initializer holding the weight
 * @param kind        Conv, Gemm or MatMul
 * @param stored      true when the tensor is stored as {@code [reduction][outputs]} (Gemm transB = 0, MatMul)
 * @param outputs     rows of W
 * @param reduction   columns of W
 * @param biasName    initializer added per output channel (the node's own bias, or the constant of
 *                    the one Add that reads its output), null when there is none
 */
record WeightLayer(int nodeIndex, Node node, String weightName, Kind kind, boolean stored, int outputs,
                   int reduction, String biasName) {

    /** The op family. */
    enum Kind { CONV, GEMM, MATMUL }

    /** W[o][r] row-major from the weight tensor. */
    float[] matrix(Tensor weight) {
        float[] w = Floats.of(weight);
        if (!stored) {
            return w;
        }
        float[] m = new float[w.length];
        for (int r = 0; r < reduction; r++) {
            for (int o = 0; o < outputs; o++) {
                m[o * reduction + r] = w[r * outputs + o];
            }
        }
        return m;
    }

    /** The weight tensor (in the layer's storage order and {@code shape}) holding W[o][r]. */
    Tensor tensor(float[] m, Shape shape) {
        if (!stored) {
            return Tensor.of(m.clone(), shape.dims());
        }
        float[] w = new float[m.length];
        for (int r = 0; r < reduction; r++) {
            for (int o = 0; o < outputs; o++) {
                w[r * outputs + o] = m[o * reduction + r];
            }
        }
        return Tensor.of(w, shape.dims());
    }

    /** "Conv node 'conv1' (weight W1, 8x25)": for reports. */
    String describe() {
        return node.describe() + " (weight " + weightName + ", " + outputs + "x" + reduction + ")";
    }

    /**
     * The layers of {@code graph} whose weights can be pruned, in node order; {@code skipped} gets one
     * line per weight-bearing node that cannot be (and why).
     */
    static List<WeightLayer> find(Graph graph, List<String> skipped) {
        Map<String, Integer> readers = new HashMap<>();
        Map<String, List<Integer>> consumers = new HashMap<>();
        List<Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            for (String in : nodes.get(i).inputs()) {
                if (!in.isEmpty()) {
                    readers.merge(in, 1, Integer::sum);
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(i);
                }
            }
        }
        Map<String, Tensor> inits = graph.initializers();
        List<WeightLayer> layers = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            String op = node.opType();
            if (!node.domain().isEmpty() || !(op.equals("Conv") || op.equals("Gemm") || op.equals("MatMul"))) {
                continue;
            }
            if (!node.hasInput(1) || !inits.containsKey(node.inputs().get(1))) {
                continue;
            }
            String wName = node.inputs().get(1);
            Tensor w = inits.get(wName);
            if (w.dtype() != dev.sprig.core.DType.FLOAT) {
                skipped.add(node.describe() + ": weight is " + w.dtype() + ", only FLOAT weights are pruned");
                continue;
            }
            if (readers.get(wName) != 1) {
                skipped.add(node.describe() + ": weight '" + wName + "' is shared by " + readers.get(wName)
                        + " nodes; pruning it for one would change the others");
                continue;
            }
            int[] d = w.shape().dims();
            WeightLayer layer;
            switch (op) {
                case "Conv" -> {
                    if (d.length < 3) {
                        skipped.add(node.describe() + ": weight rank " + d.length + ", expected >= 3");
                        continue;
                    }
                    String bias = node.hasInput(2) && inits.containsKey(node.inputs().get(2))
                            && readers.get(node.inputs().get(2)) == 1 ? node.inputs().get(2) : null;
                    layer = new WeightLayer(i, node, wName, Kind.CONV, false, d[0], w.size() / d[0], bias);
                }
                case "Gemm" -> {
                    if (d.length != 2 || node.attrInt("transA", 0) != 0) {
                        skipped.add(node.describe() + ": only Gemm with transA = 0 and a 2-D weight is pruned");
                        continue;
                    }
                    boolean transB = node.attrInt("transB", 0) != 0;
                    int out = transB ? d[0] : d[1];
                    String c = node.hasInput(2) ? node.inputs().get(2) : null;
                    boolean plainBias = c != null && inits.containsKey(c) && readers.get(c) == 1
                            && inits.get(c).size() == out && node.attrFloat("alpha", 1f) == 1f
                            && node.attrFloat("beta", 1f) == 1f;
                    layer = new WeightLayer(i, node, wName, Kind.GEMM, !transB, out, w.size() / out,
                            plainBias ? c : null);
                }
                default -> {
                    if (d.length != 2) {
                        skipped.add(node.describe() + ": MatMul weight rank " + d.length + ", only 2-D is pruned");
                        continue;
                    }
                    layer = new WeightLayer(i, node, wName, Kind.MATMUL, true, d[1], d[0], null);
                }
            }
            if (layer.biasName == null) {
                layer = layer.withBias(followingBias(graph, layer, consumers, readers));
            }
            layers.add(layer);
        }
        return layers;
    }

    private WeightLayer withBias(String bias) {
        return new WeightLayer(nodeIndex, node, weightName, kind, stored, outputs, reduction, bias);
    }

    /**
     * The constant of an Add that alone reads the layer's output and adds one value per output
     * channel (mnist-8's Conv -> Add(bias)), or null.
     */
    private static String followingBias(Graph graph, WeightLayer layer, Map<String, List<Integer>> consumers,
                                        Map<String, Integer> readers) {
        String out = layer.node.outputs().get(0);
        List<Integer> users = consumers.getOrDefault(out, List.of());
        if (users.size() != 1) {
            return null;
        }
        Node add = graph.nodes().get(users.get(0));
        if (!add.opType().equals("Add") || !add.domain().isEmpty() || add.inputs().size() != 2) {
            return null;
        }
        String other = add.inputs().get(0).equals(out) ? add.inputs().get(1) : add.inputs().get(0);
        Tensor c = graph.initializers().get(other);
        if (c == null || readers.get(other) != 1 || c.size() != layer.outputs
                || c.dtype() != dev.sprig.core.DType.FLOAT) {
            return null;
        }
        int[] d = c.shape().dims();
        // the channel axis is 1 of an NC... output for Conv, the last axis for Gemm/MatMul
        int channelFromEnd = layer.kind == Kind.CONV
                ? graph.initializers().get(layer.weightName).shape().rank() - 1 : 1;
        if (d.length < channelFromEnd || d[d.length - channelFromEnd] != layer.outputs) {
            return null;
        }
        return other;
    }
}
