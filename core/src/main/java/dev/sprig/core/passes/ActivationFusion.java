package dev.sprig.core.passes;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.fused.FusedActivation;
import java.util.List;
import java.util.Map;

/**
 * Recognises the activations a GEMM or convolution epilogue can apply: Relu, and Clip with
 * constant bounds (attributes before opset 11, optional inputs from 11). Shared by the fusion
 * passes.
 */
final class ActivationFusion {

    private ActivationFusion() {
    }

    /** The Relu or constant Clip that is the only reader of {@code value}, or null. */
    static Node activationOf(GraphUses uses, String value, Map<String, Tensor> constants, PassContext context) {
        Node relu = MatMulBiasFusion.single(uses, value, "Relu");
        if (relu != null) {
            return relu;
        }
        Node clip = MatMulBiasFusion.single(uses, value, "Clip");
        if (clip == null || !clip.inputs().get(0).equals(value)) {
            return null;
        }
        return bounds(clip, constants, context) == null ? null : clip;
    }

    /** {@code producer} with the activation of {@code act} (a node {@link #activationOf} returned). */
    static Node fuse(Node producer, Node act, Map<String, Tensor> constants, PassContext context) {
        if (act.opType().equals("Relu")) {
            return FusedActivation.relu(producer);
        }
        float[] b = bounds(act, constants, context);
        return FusedActivation.clip(producer, b[0], b[1]);
    }

    /** Clip's [min, max] when both are known at load, else null. */
    private static float[] bounds(Node clip, Map<String, Tensor> constants, PassContext context) {
        if (context.opset(clip) < 11) {
            return new float[] {clip.attrFloat("min", -Float.MAX_VALUE), clip.attrFloat("max", Float.MAX_VALUE)};
        }
        List<String> in = clip.inputs();
        Float min = scalar(in, 1, constants, Float.NEGATIVE_INFINITY);
        Float max = scalar(in, 2, constants, Float.POSITIVE_INFINITY);
        return min == null || max == null ? null : new float[] {min, max};
    }

    private static Float scalar(List<String> in, int i, Map<String, Tensor> constants, float absent) {
        if (i >= in.size() || in.get(i).isEmpty()) {
            return absent;
        }
        Tensor t = constants.get(in.get(i));
        if (t == null || t.dtype() != DType.FLOAT || t.size() != 1) {
            return null;
        }
        Tensor c = t.contiguous();
        return c.floatData()[c.offset()];
    }
}
