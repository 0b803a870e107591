package dev.sprig.core.graph;

import dev.sprig.core.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A computation graph: nodes in topological order over named values, the declared graph inputs
 * (initializers excluded, even when a model also lists them as inputs) and outputs, the constant
 * initializers, and whatever intermediate value types the model declares. Immutable; passes
 * return new graphs.
 */
public record Graph(String name, List<Node> nodes, List<ValueInfo> inputs, List<ValueInfo> outputs,
                    Map<String, Tensor> initializers, List<ValueInfo> valueInfos) {

    /** Immutable copies; initializer order is kept. */
    public Graph {
        name = name == null ? "" : name;
        nodes = List.copyOf(nodes);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        initializers = Collections.unmodifiableMap(new LinkedHashMap<>(initializers));
        valueInfos = valueInfos == null ? List.of() : List.copyOf(valueInfos);
    }

    /** This graph with other nodes (a pass's result). */
    public Graph withNodes(List<Node> newNodes) {
        return new Graph(name, newNodes, inputs, outputs, initializers, valueInfos);
    }

    /** This graph with other nodes and initializers. */
    public Graph with(List<Node> newNodes, Map<String, Tensor> newInitializers) {
        return new Graph(name, newNodes, inputs, outputs, newInitializers, valueInfos);
    }
}
