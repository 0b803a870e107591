package dev.sprig.core.passes;

import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.ops.OperatorRegistry;
import dev.sprig.core.ops.fused.FusedOperators;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pass pipeline a session runs at creation, in order: QDQ convolutions to integer ones (before
 * folding turns their INT8 weights back into FLOAT), constant folding (so the fusions see
 * folded weights and shapes), BatchNorm folding into Conv, a following per-channel Add into the
 * Conv's bias, MatMul + bias + activation fusion,
 * Conv/Gemm + activation fusion, sparse weights to the sparse operators where the measured
 * crossover says they win, and dead-node removal last (it drops the weights the folds replaced).
 */
public final class GraphOptimizer {

    private static final List<GraphPass> STANDARD = List.of(
            new QdqFusion(),
            new ConstantFolding(),
            new BatchNormFolding(),
            new ConvBiasFolding(),
            new MatMulBiasFusion(),
            new EpilogueActivationFusion(),
            new SparseWeights(),
            new DeadNodeElimination());

    private GraphOptimizer() {
    }

    /** {@code model} through the standard passes, importing Sprig's fused-op domain. */
    public static Model optimize(Model model, OperatorRegistry registry) {
        Map<String, Integer> opsets = new LinkedHashMap<>(model.opsets());
        opsets.put(FusedOperators.DOMAIN, FusedOperators.VERSION);
        PassContext context = new PassContext(opsets, registry);
        Graph g = model.graph();
        for (GraphPass pass : STANDARD) {
            g = pass.apply(g, context);
        }
        return new Model(g, opsets, model.irVersion(), model.producer());
    }
}
