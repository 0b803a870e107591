package dev.sprig.core.passes;

import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Node;
import dev.sprig.core.graph.ValueInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who produces and who reads each value of a graph, for the pattern-matching passes: a producer
 * may be fused into its consumer only when nothing else reads the value between them.
 */
final class GraphUses {

    private final Map<String, Node> producers = new HashMap<>();
    private final Map<String, List<Node>> readers = new HashMap<>();
    private final Set<String> graphOutputs = new HashSet<>();

    GraphUses(Graph graph) {
        for (Node n : graph.nodes()) {
            for (String out : n.outputs()) {
                if (!out.isEmpty()) {
                    producers.put(out, n);
                }
            }
            for (String in : n.inputs()) {
                if (!in.isEmpty()) {
                    readers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                }
            }
        }
        for (ValueInfo out : graph.outputs()) {
            graphOutputs.add(out.name());
        }
    }

    /** The node producing {@code value}, or null for an input or initializer. */
    Node producer(String value) {
        return producers.get(value);
    }

    /** The nodes reading {@code value} (each once per input slot it uses). */
    List<Node> readers(String value) {
        return readers.getOrDefault(value, List.of());
    }

    /** True when {@code value} is read by exactly one node and is not a graph output. */
    boolean onlyReader(String value, Node reader) {
        List<Node> r = readers(value);
        return !graphOutputs.contains(value) && r.size() == 1 && r.get(0) == reader;
    }
}
