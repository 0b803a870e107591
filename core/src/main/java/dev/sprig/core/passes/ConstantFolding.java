package dev.sprig.core.passes;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs, once at load, every node whose inputs are all constants (initializers, Constant nodes and
 * earlier folded results) and turns its outputs into initializers: the shape arithmetic of
 * exported transformers (Shape -> Gather -> Unsqueeze -> Concat -> Reshape on fixed weights),
 * weight transposes and casts stop costing anything per run.
 *
 * <p>Not folded: random ops (their value must differ per run), ops Sprig does not implement
 * (the session reports them), and results much larger than their inputs (an Expand or
 * ConstantOfShape to a big tensor would only move memory from run time to the session's
 * lifetime). A node whose operator throws while folding is kept, so the error is reported with
 * its run-time inputs.
 */
public final class ConstantFolding implements GraphPass {

    private static final Set<String> NONDETERMINISTIC = Set.of("RandomNormal", "RandomUniform",
            "RandomNormalLike", "RandomUniformLike", "Multinomial", "Bernoulli");
    /** Elements a folded result may have beyond 4x its inputs: 1 Mi. */
    private static final long MAX_GROWTH_ELEMENTS = 1 << 20;

    @Override
    public Graph apply(Graph graph, PassContext context) {
        Map<String, Tensor> constants = new LinkedHashMap<>(graph.initializers());
        Set<String> graphInputs = new java.util.HashSet<>();
        graph.inputs().forEach(v -> graphInputs.add(v.name()));
        List<Node> kept = new ArrayList<>();
        for (Node node : graph.nodes()) {
            Tensor[] folded = tryFold(node, constants, graphInputs, context);
            if (folded == null) {
                kept.add(node);
                continue;
            }
            for (int j = 0; j < node.outputs().size(); j++) {
                if (!node.outputs().get(j).isEmpty()) {
                    constants.put(node.outputs().get(j), folded[j]);
                }
            }
        }
        return kept.size() == graph.nodes().size() ? graph : graph.with(kept, constants);
    }

    private static Tensor[] tryFold(Node node, Map<String, Tensor> constants, Set<String> graphInputs,
                                    PassContext context) {
        if (NONDETERMINISTIC.contains(node.opType())) {
            return null;
        }
        int opset = context.opset(node);
        if (!context.registry().supports(node.domain(), node.opType(), opset)) {
            return null;
        }
        Tensor[] args = new Tensor[node.inputs().size()];
        long inputElements = 0;
        for (int i = 0; i < args.length; i++) {
            String name = node.inputs().get(i);
            if (name.isEmpty()) {
                continue;
            }
            // an initializer that is also a graph input can be overridden: not a constant
            if (!constants.containsKey(name) || graphInputs.contains(name)) {
                return null;
            }
            args[i] = constants.get(name);
            inputElements += args[i].size();
        }
        Tensor[] out;
        try {
            Operator op = context.registry().create(node, opset);
            out = op.run(args, OpContext.SERIAL);
        } catch (RuntimeException e) {
            return null;
        }
        long outputElements = 0;
        for (Tensor t : out) {
            outputElements += t == null ? 0 : t.size();
        }
        if (outputElements > 4 * inputElements + MAX_GROWTH_ELEMENTS) {
            return null;
        }
        return out;
    }
}
