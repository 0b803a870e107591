package dev.sprig.prune;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OperatorRegistry;
import dev.sprig.core.passes.ConstantFolding;
import dev.sprig.core.passes.PassContext;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Makes every weight a plain initializer of the node that uses it: constant subgraphs (mnist-8
 * reshapes its MatMul weight from [16,4,4,10] to [256,10] with a Reshape node) are folded, and
 * initializers no node reads any more are dropped. The model computes the same outputs.
 */
final class WeightPreparation {

    private WeightPreparation() {
    }

    static Model prepare(Model model) {
        Graph folded = new ConstantFolding().apply(model.graph(),
                new PassContext(model.opsets(), OperatorRegistry.standard()));
        Set<String> read = new HashSet<>();
        for (Node n : folded.nodes()) {
            read.addAll(n.inputs());
        }
        folded.outputs().forEach(v -> read.add(v.name()));
        Map<String, Tensor> used = new LinkedHashMap<>();
        folded.initializers().forEach((k, v) -> {
            if (read.contains(k)) {
                used.put(k, v);
            }
        });
        Graph g = new Graph(folded.name(), folded.nodes(), folded.inputs(), folded.outputs(), used,
                folded.valueInfos());
        return new Model(g, model.opsets(), model.irVersion(), model.producer());
    }
}
