package dev.sprig.core.passes;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.fused.FusedOperators;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Conv followed by Relu or a constant Clip (ReLU6 in MobileNets) becomes
 * {@code dev.sprig:FusedConv}: the same convolution with the activation in the GEMM's (or the
 * depthwise kernel's) epilogue, saving a pass over the output. The Conv's output must have no
 * other reader.
 */
public final class ConvActivationFusion implements GraphPass {

    @Override
    public Graph apply(Graph graph, PassContext context) {
        if (!context.registry().supports(FusedOperators.DOMAIN, FusedOperators.FUSED_CONV, FusedOperators.VERSION)) {
            return graph;
        }
        Map<String, Tensor> constants = graph.initializers();
        GraphUses uses = new GraphUses(graph);
        Set<Node> absorbed = new HashSet<>();
        List<Node> nodes = new ArrayList<>();
        for (Node node : graph.nodes()) {
            if (absorbed.contains(node)) {
                continue;
            }
            Node act = node.opType().equals("Conv") && node.domain().isEmpty()
                    ? ActivationFusion.activationOf(uses, node.outputs().get(0), constants, context) : null;
            if (act == null) {
                nodes.add(node);
                continue;
            }
            Node fused = new Node(node.name(), FusedOperators.FUSED_CONV, FusedOperators.DOMAIN, node.inputs(), act.outputs().subList(0, 1),
                    node.attributes());
            nodes.add(ActivationFusion.fuse(fused, act, constants, context));
            absorbed.add(act);
        }
        return absorbed.isEmpty() ? graph : graph.withNodes(nodes);
    }
}
