package dev.sprig.core.passes;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.fused.FusedOperators;
import dev.sprig.core.ops.fused.MatMulBias;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MatMul by a constant 2-D FLOAT weight, optionally followed by Add of a constant 1-D bias and
 * then Relu or a constant Clip, becomes one {@code dev.sprig:MatMulBias}: the weight is packed
 * once and bias and activation are applied in the GEMM's epilogue. Each intermediate must have
 * no other reader. The bias must be rank 1: a higher-rank bias could broadcast the result to a
 * higher rank, which this pass cannot see without shapes.
 */
public final class MatMulBiasFusion implements GraphPass {

    @Override
    public Graph apply(Graph graph, PassContext context) {
        Map<String, Tensor> constants = graph.initializers();
        GraphUses uses = new GraphUses(graph);
        Set<Node> absorbed = new HashSet<>();
        List<Node> nodes = new ArrayList<>();
        boolean changed = false;
        for (Node node : graph.nodes()) {
            if (absorbed.contains(node)) {
                continue;
            }
            if (!node.opType().equals("MatMul") || !node.domain().isEmpty() || !node.hasInput(1)
                    || !isFloatMatrix(constants.get(node.inputs().get(1)))) {
                nodes.add(node);
                continue;
            }
            String a = node.inputs().get(0);
            String w = node.inputs().get(1);
            String bias = "";
            String out = node.outputs().get(0);
            Node add = single(uses, out, "Add");
            if (add != null) {
                String other = add.inputs().get(0).equals(out) ? add.inputs().get(1) : add.inputs().get(0);
                Tensor b = constants.get(other);
                if (b != null && b.dtype() == DType.FLOAT && b.shape().rank() == 1
                        && b.shape().dim(0) == constants.get(w).shape().dim(1) && !other.equals(out)) {
                    bias = other;
                    out = add.outputs().get(0);
                    absorbed.add(add);
                }
            }
            Node fused = new Node(node.name(), MatMulBias.OP_TYPE, FusedOperators.DOMAIN, List.of(a, w, bias),
                    List.of(out), Map.of());
            Node act = ActivationFusion.activationOf(uses, out, constants, context);
            if (act != null) {
                fused = ActivationFusion.fuse(fused, act, constants, context);
                out = act.outputs().get(0);
                fused = fused.withOutputs(List.of(out));
                absorbed.add(act);
            }
            nodes.add(fused);
            changed = true;
        }
        return changed ? graph.withNodes(nodes) : graph;
    }

    private static boolean isFloatMatrix(Tensor t) {
        return t != null && t.dtype() == DType.FLOAT && t.shape().rank() == 2;
    }

    /** The one reader of {@code value} when it is an ai.onnx {@code opType} node, else null. */
    static Node single(GraphUses uses, String value, String opType) {
        List<Node> readers = uses.readers(value);
        if (readers.size() != 1) {
            return null;
        }
        Node r = readers.get(0);
        return r.opType().equals(opType) && r.domain().isEmpty() && uses.onlyReader(value, r) ? r : null;
    }
}
