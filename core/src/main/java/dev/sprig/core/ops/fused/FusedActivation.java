package dev.sprig.core.ops.fused;

import dev.sprig.core.ModelException;
import dev.sprig.core.graph.Attribute;
import dev.sprig.core.graph.Node;
import dev.sprig.kernels.gemm.Epilogue;

/**
 * The activation a fusion pass folded into a producer's epilogue, carried on the fused node as
 * attributes: {@code activation} ("Relu" or "Clip") with {@code activation_min} and
 * {@code activation_max} for Clip.
 */
public final class FusedActivation {

    static final String ATTRIBUTE = "activation";
    static final String MIN = "activation_min";
    static final String MAX = "activation_max";

    private FusedActivation() {
    }

    /** {@code node} with a ReLU in its epilogue. */
    public static Node relu(Node node) {
        return node.withAttribute(Attribute.of(ATTRIBUTE, "Relu"));
    }

    /** {@code node} with a clip to [min, max] in its epilogue. */
    public static Node clip(Node node, float min, float max) {
        return node.withAttribute(Attribute.of(ATTRIBUTE, "Clip"))
                .withAttribute(Attribute.of(MIN, min))
                .withAttribute(Attribute.of(MAX, max));
    }

    /** True when {@code node} already carries an activation (a second one cannot be fused). */
    public static boolean has(Node node) {
        return node.hasAttribute(ATTRIBUTE);
    }

    /** {@code base} with the node's activation, if any, applied after it. */
    public static Epilogue apply(Node node, Epilogue base) {
        String act = node.attrString(ATTRIBUTE, "");
        return switch (act) {
            case "" -> base;
            case "Relu" -> base.relu();
            case "Clip" -> base.clip(node.attrFloat(MIN, Float.NEGATIVE_INFINITY),
                    node.attrFloat(MAX, Float.POSITIVE_INFINITY));
            default -> throw new ModelException(node.describe() + ": fused activation must be Relu or Clip, got '"
                    + act + "'");
        };
    }
}
