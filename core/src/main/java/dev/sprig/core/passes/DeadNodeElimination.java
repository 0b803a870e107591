package dev.sprig.core.passes;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Node;
import dev.sprig.core.graph.ValueInfo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Removes the nodes no graph output depends on, and the initializers nothing reads (after
 * folding and fusion, the original weights of a folded BatchNorm, say).
 */
public final class DeadNodeElimination implements GraphPass {

    @Override
    public Graph apply(Graph graph, PassContext context) {
        Set<String> needed = new HashSet<>();
        ArrayDeque<String> work = new ArrayDeque<>();
        for (ValueInfo out : graph.outputs()) {
            work.add(out.name());
        }
        GraphUses uses = new GraphUses(graph);
        Set<Node> live = new HashSet<>();
        while (!work.isEmpty()) {
            String v = work.poll();
            if (!needed.add(v)) {
                continue;
            }
            Node p = uses.producer(v);
            if (p != null && live.add(p)) {
                for (String in : p.inputs()) {
                    if (!in.isEmpty()) {
                        work.add(in);
                    }
                }
            }
        }
        List<Node> kept = new ArrayList<>();
        for (Node n : graph.nodes()) {
            if (live.contains(n)) {
                kept.add(n);
            }
        }
        Map<String, Tensor> inits = new LinkedHashMap<>();
        graph.initializers().forEach((name, t) -> {
            if (needed.contains(name)) {
                inits.put(name, t);
            }
        });
        if (kept.size() == graph.nodes().size() && inits.size() == graph.initializers().size()) {
            return graph;
        }
        return graph.with(kept, inits);
    }
}
