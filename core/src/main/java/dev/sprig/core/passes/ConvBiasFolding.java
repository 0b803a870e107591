package dev.sprig.core.passes;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Node;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Conv followed by Add of a constant per-channel vector (shape {@code [M,1,1]} or
 * {@code [1,M,1,1]}: how CNTK and some other exporters write the bias) takes the vector as its
 * bias input (added to any bias it had), so the bias lands in the GEMM's epilogue and the Conv
 * can then fuse the activation after the Add. The Conv's output must have no other reader.
 */
public final class ConvBiasFolding implements GraphPass {

    @Override
    public Graph apply(Graph graph, PassContext context) {
        Map<String, Tensor> constants = new LinkedHashMap<>(graph.initializers());
        GraphUses uses = new GraphUses(graph);
        Set<Node> absorbed = new HashSet<>();
        List<Node> nodes = new ArrayList<>();
        for (Node node : graph.nodes()) {
            if (absorbed.contains(node)) {
                continue;
            }
            Node add = node.opType().equals("Conv") && node.domain().isEmpty()
                    ? MatMulBiasFusion.single(uses, node.outputs().get(0), "Add") : null;
            Node folded = add == null ? null : fold(node, add, constants);
            if (folded == null) {
                nodes.add(node);
            } else {
                nodes.add(folded);
                absorbed.add(add);
            }
        }
        return absorbed.isEmpty() ? graph : graph.with(nodes, constants);
    }

    private static Node fold(Node conv, Node add, Map<String, Tensor> constants) {
        String out = conv.outputs().get(0);
        String other = add.inputs().get(0).equals(out) ? add.inputs().get(1) : add.inputs().get(0);
        Tensor w = conv.hasInput(1) ? constants.get(conv.inputs().get(1)) : null;
        Tensor v = constants.get(other);
        if (w == null || v == null || v.dtype() != DType.FLOAT || other.equals(out) || w.shape().rank() < 3) {
            return null;
        }
        int m = w.shape().dim(0);
        if (!perChannel(v.shape(), m, w.shape().rank())) {
            return null;
        }
        float[] bias = new float[m];
        Tensor vc = v.contiguous();
        System.arraycopy(vc.floatData(), vc.offset(), bias, 0, m);
        if (conv.hasInput(2)) {
            Tensor old = constants.get(conv.inputs().get(2));
            if (old == null || old.dtype() != DType.FLOAT || old.size() != m) {
                return null;
            }
            Tensor oc = old.contiguous();
            for (int i = 0; i < m; i++) {
                // one rounding less than (sum + b) + v: reassociation only
                bias[i] = oc.floatData()[oc.offset() + i] + bias[i];
            }
        }
        String name = FreshName.of((conv.name().isEmpty() ? out : conv.name()) + "_bias", constants);
        constants.put(name, Tensor.wrap(DType.FLOAT, bias, Shape.of(m)));
        return conv.withInputs(List.of(conv.inputs().get(0), conv.inputs().get(1), name))
                .withOutputs(List.of(add.outputs().get(0)));
    }

    /** True for {@code [M, 1, ..]} with one axis per spatial axis, optionally led by a batch axis of 1. */
    private static boolean perChannel(Shape s, int m, int convRank) {
        int spatial = convRank - 2;
        int[] d = s.dims();
        int lead = d.length - 1 - spatial;
        if (lead < 0 || lead > 1 || (lead == 1 && d[0] != 1) || d[lead] != m) {
            return false;
        }
        for (int a = lead + 1; a < d.length; a++) {
            if (d[a] != 1) {
                return false;
            }
        }
        return true;
    }
}
