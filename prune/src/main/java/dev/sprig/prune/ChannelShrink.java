package dev.sprig.prune;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Graph;
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
 * Physical removal of output channels of one layer: its weight rows and bias, the per-channel
 * constants on the way to its consumers (bias Adds, BatchNormalization), and the consumers' input
 * channels (Conv weight axis 1; Gemm/MatMul weight rows, in blocks of H x W when a Reshape or
 * Flatten turned [N, C, H, W] into [N, C*H*W]).
 *
 * <p>A layer is refused, with the reason, when its channels reach anything this cannot follow: a
 * graph output, a residual Add or a Concat (channels tied to another branch would have to be pruned
 * together with it; Sprig leaves them dense), a grouped Conv, a shared constant, an unknown op.
 */
final class ChannelShrink {

    /** Ops that act on each channel separately and keep the layout [N, C, ...]. */
    private static final Set<String> PER_CHANNEL = Set.of("Relu", "LeakyRelu", "Sigmoid", "Tanh", "Clip",
            "Elu", "Selu", "HardSigmoid", "HardSwish", "Softplus", "Identity", "Dropout", "PRelu", "Gelu",
            "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "LpPool");

    /** One constant to cut: keep {@code block}-sized runs of {@code axis} for the kept channels. */
    private record Cut(String initializer, int axis, int block) {
    }

    /** A new shape constant for a Reshape: element {@code index} becomes kept x {@code block}. */
    private record ShapeFix(String initializer, int index, int block) {
    }

    /**
     * What removing channels of {@code layer} changes, or why it cannot be done.
     *
     * @param refusal null when the layer can be shrunk
     * @param gammaName the BatchNormalization scale on the path (for the BN_GAMMA criterion), or null
     */
    record Plan(WeightLayer layer, String refusal, List<Cut> cuts, List<ShapeFix> shapeFixes,
                Set<String> touchedValues, String gammaName) {

        boolean possible() {
            return refusal == null;
        }

        /** The graph with the channels {@code removed} (sorted or not, distinct) gone. */
        Graph apply(Graph graph, int[] removed) {
            if (!possible()) {
                throw new IllegalStateException(layer.describe() + ": " + refusal);
            }
            int channels = layer.outputs();
            boolean[] gone = new boolean[channels];
            for (int c : removed) {
                if (c < 0 || c >= channels || gone[c]) {
                    throw new IllegalArgumentException(layer.describe() + ": channel " + c
                            + " is out of range [0, " + channels + ") or repeated");
                }
                gone[c] = true;
            }
            if (removed.length >= channels) {
                throw new IllegalArgumentException(layer.describe() + ": cannot remove all " + channels + " channels");
            }
            int[] kept = new int[channels - removed.length];
            for (int c = 0, k = 0; c < channels; c++) {
                if (!gone[c]) {
                    kept[k++] = c;
                }
            }
            Map<String, Tensor> inits = new LinkedHashMap<>(graph.initializers());
            for (Cut cut : cuts) {
                inits.put(cut.initializer, slice(inits.get(cut.initializer), cut.axis, kept, cut.block, channels));
            }
            for (ShapeFix fix : shapeFixes) {
                Tensor old = inits.get(fix.initializer).contiguous();
                long[] s = java.util.Arrays.copyOfRange(old.longData(), old.offset(), old.offset() + old.size());
                s[fix.index] = (long) kept.length * fix.block;
                inits.put(fix.initializer, Tensor.of(s, old.shape().dims()));
            }
            List<ValueInfo> infos = new ArrayList<>();
            for (ValueInfo v : graph.valueInfos()) {
                if (!touchedValues.contains(v.name())) {
                    infos.add(v);
                }
            }
            return new Graph(graph.name(), graph.nodes(), graph.inputs(), graph.outputs(), inits, infos);
        }
    }

    private ChannelShrink() {
    }

    /** Keeps, along {@code axis}, the runs of {@code block} elements that belong to the {@code kept} channels. */
    static Tensor slice(Tensor t, int axis, int[] kept, int block, int channels) {
        int[] dims = t.shape().dims();
        if (dims[axis] != channels * block) {
            throw new IllegalArgumentException("cannot cut axis " + axis + " of " + t.shape() + " into " + channels
                    + " channels of " + block);
        }
        float[] x = Floats.of(t);
        int outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= dims[i];
        }
        int inner = 1;
        for (int i = axis + 1; i < dims.length; i++) {
            inner *= dims[i];
        }
        int run = block * inner;
        int[] nd = dims.clone();
        nd[axis] = kept.length * block;
        float[] y = new float[outer * kept.length * run];
        int at = 0;
        for (int o = 0; o < outer; o++) {
            for (int c : kept) {
                System.arraycopy(x, (o * channels + c) * run, y, at, run);
                at += run;
            }
        }
        return Tensor.of(y, nd);
    }

    /** Follows {@code layer}'s output to every consumer; {@code shapes} are the value shapes of one run. */
    static Plan plan(Graph graph, WeightLayer layer, Map<String, int[]> shapes) {
        Map<String, List<Node>> consumers = new HashMap<>();
        Map<String, Integer> readers = new HashMap<>();
        for (Node n : graph.nodes()) {
            for (String in : n.inputs()) {
                if (!in.isEmpty()) {
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                    readers.merge(in, 1, Integer::sum);
                }
            }
        }
        Set<String> outputs = new HashSet<>();
        graph.outputs().forEach(v -> outputs.add(v.name()));
        Walk walk = new Walk(graph, layer, consumers, readers, outputs, shapes);
        Node node = layer.node();
        if (node.opType().equals("Conv") && node.attrInt("group", 1) != 1) {
            // a grouped (depthwise) Conv's output channels are tied to its input channels, which belong
            // to the layer before it: removing some would break the group count
            walk.refuse("it is a grouped Conv (group " + node.attrInt("group", 1) + "): its output channels are"
                    + " its input channels");
        }
        int weightAxis = layer.stored() ? 1 : 0;
        walk.cut(layer.weightName(), weightAxis, 1);
        if (layer.kind() != WeightLayer.Kind.MATMUL && node.hasInput(2)) {
            String b = node.inputs().get(2);
            Tensor bias = graph.initializers().get(b);
            if (bias == null) {
                walk.refuse("its bias '" + b + "' is not a constant");
            } else if (bias.size() == layer.outputs()) {
                walk.cut(b, bias.shape().rank() - 1, 1);
            } else if (bias.size() != 1) {
                walk.refuse("its bias '" + b + "' has shape " + bias.shape() + ", not one value per channel");
            }
        }
        int channelAxis = layer.kind() == WeightLayer.Kind.CONV ? 1 : -1;
        walk.follow(node.outputs().get(0), channelAxis, 1);
        return new Plan(layer, walk.refusal, walk.cuts, walk.fixes, walk.touched, walk.gamma);
    }

    /** The traversal state of {@link #plan}. */
    private static final class Walk {
        final Graph graph;
        final WeightLayer layer;
        final Map<String, List<Node>> consumers;
        final Map<String, Integer> readers;
        final Set<String> outputs;
        final Map<String, int[]> shapes;
        final List<Cut> cuts = new ArrayList<>();
        final List<ShapeFix> fixes = new ArrayList<>();
        final Set<String> touched = new HashSet<>();
        final Set<String> cutNames = new HashSet<>();
        String refusal;
        String gamma;

        Walk(Graph graph, WeightLayer layer, Map<String, List<Node>> consumers, Map<String, Integer> readers,
             Set<String> outputs, Map<String, int[]> shapes) {
            this.graph = graph;
            this.layer = layer;
            this.consumers = consumers;
            this.readers = readers;
            this.outputs = outputs;
            this.shapes = shapes;
        }

        void refuse(String why) {
            if (refusal == null) {
                refusal = why;
            }
        }

        void cut(String init, int axis, int block) {
            if (readers.getOrDefault(init, 0) != 1) {
                refuse("constant '" + init + "' is read by " + readers.getOrDefault(init, 0)
                        + " nodes; cutting it for this layer would change the others");
                return;
            }
            if (!cutNames.add(init)) {
                refuse("constant '" + init + "' would be cut twice");
                return;
            }
            cuts.add(new Cut(init, axis, block));
        }

        /**
         * Follows value {@code v} whose channels sit on {@code axis} (-1: the last axis) in runs of
         * {@code block} elements (more than 1 after a flatten).
         */
        void follow(String v, int axis, int block) {
            if (refusal != null) {
                return;
            }
            touched.add(v);
            if (outputs.contains(v)) {
                refuse("its channels reach the graph output '" + v + "'");
                return;
            }
            List<Node> users = consumers.getOrDefault(v, List.of());
            if (users.isEmpty()) {
                refuse("value '" + v + "' is read by no node");
                return;
            }
            for (Node n : users) {
                step(n, v, axis, block);
                if (refusal != null) {
                    return;
                }
            }
        }

        private void step(Node n, String v, int axis, int block) {
            String op = n.domain().isEmpty() ? n.opType() : n.domain() + ":" + n.opType();
            boolean flat = block > 1 || axis == -1;
            if (n.inputs().indexOf(v) != 0 && !(op.equals("Add") || op.equals("Mul") || op.equals("Sub")
                    || op.equals("Div"))) {
                refuse(n.describe() + " reads the channels as input " + n.inputs().indexOf(v) + ", not as its data");
                return;
            }
            switch (op) {
                case "Add", "Sub", "Mul", "Div" -> {
                    String other = n.inputs().get(0).equals(v) ? n.inputs().get(1) : n.inputs().get(0);
                    Tensor c = graph.initializers().get(other);
                    if (c == null) {
                        refuse("its channels meet another computed tensor in " + n.describe()
                                + " (a residual): tied channels must be pruned together or not at all; left dense");
                        return;
                    }
                    if (c.size() != 1) {
                        int[] vd = shapes.get(v);
                        int cAxis = channelAxisOf(c, vd, axis);
                        if (cAxis < 0 || c.size() != layer.outputs() * (flat ? block : 1)) {
                            refuse(n.describe() + " applies constant '" + other + "' of shape " + c.shape()
                                    + ", not one value per channel");
                            return;
                        }
                        cut(other, cAxis, flat ? block : 1);
                    }
                    follow(n.outputs().get(0), axis, block);
                }
                case "BatchNormalization" -> {
                    if (flat) {
                        refuse(n.describe() + " after a flatten");
                        return;
                    }
                    for (int i = 1; i <= 4; i++) {
                        cut(n.inputs().get(i), 0, 1);
                    }
                    if (gamma == null) {
                        gamma = n.inputs().get(1);
                    }
                    follow(n.outputs().get(0), axis, block);
                }
                case "Conv" -> {
                    if (flat || n.attrInt("group", 1) != 1) {
                        refuse("consumer " + n.describe() + (flat ? " reads flattened channels"
                                : " is grouped (group " + n.attrInt("group", 1) + "): its channels would have to go too"));
                        return;
                    }
                    requireConstantWeight(n);
                    cut(n.inputs().get(1), 1, 1);
                }
                case "Gemm", "MatMul" -> {
                    int[] vd = shapes.get(v);
                    if (vd == null || vd.length != 2 || (op.equals("Gemm") && n.attrInt("transA", 0) != 0)) {
                        refuse("consumer " + n.describe() + " reads the channels as a "
                                + (vd == null ? "?" : java.util.Arrays.toString(vd)) + " tensor; only [N, features]"
                                + " with transA = 0 is cut");
                        return;
                    }
                    requireConstantWeight(n);
                    Tensor w = graph.initializers().get(n.inputs().get(1));
                    if (w != null && w.shape().rank() != 2) {
                        refuse("consumer " + n.describe() + " has a weight of rank " + w.shape().rank());
                        return;
                    }
                    int k = op.equals("Gemm") && n.attrInt("transB", 0) != 0 ? 1 : 0;
                    cut(n.inputs().get(1), k, block);
                }
                case "Reshape", "Flatten" -> flatten(n, v, axis, block);
                case "Concat" -> refuse("its channels go into " + n.describe()
                        + ": channels concatenated with other branches are not cut; left dense");
                default -> {
                    if (PER_CHANNEL.contains(op) && !(flat && op.contains("Pool"))) {
                        if (op.equals("PRelu") && n.hasInput(1) && graph.initializers().get(n.inputs().get(1)) != null
                                && graph.initializers().get(n.inputs().get(1)).size() != 1) {
                            refuse(n.describe() + " has a per-channel slope");
                            return;
                        }
                        follow(n.outputs().get(0), axis, block);
                    } else {
                        refuse("its channels reach " + n.describe() + ", which channel pruning does not follow");
                    }
                }
            }
        }

        private void requireConstantWeight(Node n) {
            if (!n.hasInput(1) || !graph.initializers().containsKey(n.inputs().get(1))) {
                refuse("consumer " + n.describe() + " has no constant weight to cut");
            }
        }

        /** [N, C, H, W] -> [N, C*H*W]: the channels become runs of H*W features. */
        private void flatten(Node n, String v, int axis, int block) {
            int[] in = shapes.get(v);
            int[] out = shapes.get(n.outputs().get(0));
            if (in == null || out == null) {
                refuse(n.describe() + ": the shapes around it are unknown (no calibration run reached it)");
                return;
            }
            if (axis != 1 || block != 1 || in.length < 2 || out.length != 2 || out[0] != in[0]) {
                refuse(n.describe() + " reshapes " + java.util.Arrays.toString(in) + " to "
                        + java.util.Arrays.toString(out) + "; only [N, C, ...] -> [N, C*...] is followed");
                return;
            }
            int spatial = 1;
            for (int i = 2; i < in.length; i++) {
                spatial *= in[i];
            }
            if (n.opType().equals("Flatten")) {
                if (n.attrInt("axis", 1) != 1) {
                    refuse(n.describe() + " flattens at axis " + n.attrInt("axis", 1) + ", not 1");
                    return;
                }
            } else {
                String s = n.inputs().get(1);
                Tensor shape = graph.initializers().get(s);
                if (shape == null) {
                    refuse(n.describe() + ": its shape '" + s + "' is computed, not a constant");
                    return;
                }
                Tensor sc = shape.contiguous();
                long second = sc.longData()[sc.offset() + 1];
                if (second != -1) {
                    if (readers.getOrDefault(s, 0) != 1) {
                        refuse(n.describe() + ": its shape constant '" + s + "' is shared");
                        return;
                    }
                    fixes.add(new ShapeFix(s, 1, spatial));
                }
            }
            follow(n.outputs().get(0), -1, spatial);
        }

        /** The axis of constant {@code c} (broadcast against a value of dims {@code vd}) that holds the channels. */
        private int channelAxisOf(Tensor c, int[] vd, int axis) {
            if (vd == null) {
                return -1;
            }
            int ax = axis < 0 ? vd.length - 1 : axis;
            int[] cd = c.shape().dims();
            int offset = vd.length - cd.length;
            int cAxis = ax - offset;
            if (cAxis < 0 || cd[cAxis] != vd[ax]) {
                return -1;
            }
            return cAxis;
        }
    }
}
