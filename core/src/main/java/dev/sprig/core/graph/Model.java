package dev.sprig.core.graph;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A loaded model: its main {@link Graph} and the operator set version it imports per domain
 * ("" is ai.onnx). Operators are chosen by these versions, so behaviour that changed between
 * opsets (Reshape's shape input, Clip's min/max inputs, ...) follows the model.
 */
public record Model(Graph graph, Map<String, Integer> opsets, long irVersion, String producer) {

    /** Immutable copy; "ai.onnx" is stored as "". */
    public Model {
        Map<String, Integer> o = new LinkedHashMap<>();
        opsets.forEach((d, v) -> o.put(d.equals("ai.onnx") ? "" : d, v));
        opsets = Collections.unmodifiableMap(o);
        producer = producer == null ? "" : producer;
    }

    /** The opset version imported for {@code domain}, or -1 when the model does not import it. */
    public int opset(String domain) {
        return opsets.getOrDefault(domain.equals("ai.onnx") ? "" : domain, -1);
    }
}
