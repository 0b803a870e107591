package dev.sprig.core.session;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;

/**
 * Floating-point operations of one executed node, from its actual input and output shapes (a
 * multiply-add counts 2): convolutions and matrix products exactly, every other op as one
 * operation per output element (an order of magnitude is all those need).
 */
public final class FlopCount {

    private FlopCount() {
    }

    /** The node's FLOPs for these inputs and outputs. */
    public static long of(Node node, Tensor[] inputs, Tensor[] outputs) {
        Tensor out = outputs.length > 0 ? outputs[0] : null;
        if (out == null) {
            return 0;
        }
        switch (node.opType()) {
            case "Conv", "FusedConv", "QLinearConv", "ConvInteger" -> {
                Tensor w = inputs[node.opType().equals("QLinearConv") ? 3 : 1];
                // every output multiplies one filter: Cin/group * kernel taps
                return 2L * out.size() * (w.size() / Math.max(1, w.shape().dim(0)));
            }
            case "ConvTranspose" -> {
                Tensor x = inputs[0];
                Tensor w = inputs[1];
                // every input scatters into M/group * kernel taps outputs
                return 2L * x.size() * (w.size() / Math.max(1, w.shape().dim(0)));
            }
            case "MatMul", "MatMulBias", "MatMulInteger", "QLinearMatMul" -> {
                Tensor a = inputs[0];
                int k = a.shape().rank() == 0 ? 1 : a.shape().dim(a.shape().rank() - 1);
                return 2L * out.size() * k;
            }
            case "Gemm" -> {
                Tensor a = inputs[0];
                int k = node.attrInt("transA", 0) != 0 ? a.shape().dim(0) : a.shape().dim(1);
                return 2L * out.size() * k;
            }
            default -> {
                return out.size();
            }
        }
    }
}
