package dev.sprig.quant;

import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.ops.OperatorRegistry;
import dev.sprig.core.passes.BatchNormFolding;
import dev.sprig.core.passes.ConstantFolding;
import dev.sprig.core.passes.ConvBiasFolding;
import dev.sprig.core.passes.DeadNodeElimination;
import dev.sprig.core.passes.GraphPass;
import dev.sprig.core.passes.PassContext;
import java.util.List;

/**
 * Puts an FP32 model in the shape quantization works on, with standard ONNX ops only: the opset
 * raised to what the quantized ops need ({@link OpsetUpgrade}), constants folded (weights behind
 * Constant nodes or casts become initializers), BatchNorm folded into the Conv before it, a
 * per-channel Add after a Conv made its bias (so it is quantized to INT32 and bias correction can
 * shift it), and what these leave unused removed. Sprig's own fusions (FusedConv, MatMulBias) are
 * not applied: the result must stay a model other runtimes load.
 */
final class ModelPreparation {

    private static final List<GraphPass> PASSES = List.of(new ConstantFolding(), new BatchNormFolding(),
            new ConvBiasFolding(), new DeadNodeElimination());

    private ModelPreparation() {
    }

    static Model prepare(Model model, int opset) {
        Model raised = OpsetUpgrade.raise(model, opset);
        PassContext context = new PassContext(raised.opsets(), OperatorRegistry.standard());
        Graph g = raised.graph();
        for (GraphPass pass : PASSES) {
            g = pass.apply(g, context);
        }
        return new Model(g, raised.opsets(), raised.irVersion(), raised.producer());
    }
}
