package dev.sprig.quant;

import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Node;
import dev.sprig.core.graph.ValueInfo;
import java.util.HashSet;
import java.util.Set;

/** Hands out value and node names no one in a graph uses yet. */
final class UniqueNames {

    private final Set<String> used = new HashSet<>();

    UniqueNames(Graph graph) {
        used.addAll(graph.initializers().keySet());
        graph.inputs().forEach(v -> used.add(v.name()));
        graph.outputs().forEach(v -> used.add(v.name()));
        graph.valueInfos().stream().map(ValueInfo::name).forEach(used::add);
        for (Node n : graph.nodes()) {
            used.add(n.name());
            used.addAll(n.inputs());
            used.addAll(n.outputs());
        }
    }

    /** {@code base}, or {@code base_2}, {@code base_3}... whichever is free first; then taken. */
    String fresh(String base) {
        String name = base;
        for (int k = 2; !used.add(name); k++) {
            name = base + "_" + k;
        }
        return name;
    }
}
