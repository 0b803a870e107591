package dev.sprig.core.passes;

import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OperatorRegistry;
import java.util.Map;

/**
 * What a pass may consult: the model's opset per domain (a rewrite must keep the semantics of the
 * model's version of each op) and the operator registry (constant folding runs operators).
 */
public record PassContext(Map<String, Integer> opsets, OperatorRegistry registry) {

    /** The opset the model imports for the node's domain, -1 when none. */
    public int opset(Node node) {
        return opsets.getOrDefault(node.domain(), -1);
    }
}
