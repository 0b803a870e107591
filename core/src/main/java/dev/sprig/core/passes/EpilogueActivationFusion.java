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
 * Conv or Gemm followed by Relu or a constant Clip (ReLU6 in MobileNets) becomes
 * {@code dev.sprig:FusedConv} or {@code dev.sprig:FusedGemm}: the same op with the activation in
 * the GEMM's (or the depthwise kernel's) epilogue, saving a pass over the output. The producer's
 * output must have no other reader.
 */
public final class EpilogueActivationFusion implements GraphPass {

    private static final Map<String, String> FUSED = Map.of(
            "Conv", FusedOperators.FUSED_CONV,
            "Gemm", FusedOperators.FUSED_GEMM);

    @Override
    public Graph apply(Graph graph, PassContext context) {
        Map<String, Tensor> constants = graph.initializers();
        GraphUses uses = new GraphUses(graph);
        Set<Node> absorbed = new HashSet<>();
        List<Node> nodes = new ArrayList<>();
        for (Node node : graph.nodes()) {
            if (absorbed.contains(node)) {
                continue;
            }
            String fusedType = node.domain().isEmpty() ? FUSED.get(node.opType()) : null;
            Node act = fusedType != null
                    && context.registry().supports(FusedOperators.DOMAIN, fusedType, FusedOperators.VERSION)
                    ? ActivationFusion.activationOf(uses, node.outputs().get(0), constants, context) : null;
            if (act == null) {
                nodes.add(node);
                continue;
            }
            Node fused = new Node(node.name(), fusedType, FusedOperators.DOMAIN, node.inputs(),
                    act.outputs().subList(0, 1), node.attributes());
            nodes.add(ActivationFusion.fuse(fused, act, constants, context));
            absorbed.add(act);
        }
        return absorbed.isEmpty() ? graph : graph.withNodes(nodes);
    }
}
