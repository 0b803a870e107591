package dev.sprig.core.passes;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Node;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds an inference BatchNormalization into the Conv before it: with
 * {@code s[m] = scale[m] / sqrt(var[m] + epsilon)}, the filter of output channel m becomes
 * {@code W[m] * s[m]} and its bias {@code (B[m] - mean[m]) * s[m] + beta[m]}. The Conv's output
 * must have no other reader, and all weights must be FLOAT constants. The folded weights get new
 * names (the originals may be shared by another node); dead-node removal drops the old ones.
 *
 * <p>The products are computed in double and rounded once, so the folded layer differs from
 * Conv-then-BatchNorm only by float reassociation (within the model tests' tolerance).
 */
public final class BatchNormFolding implements GraphPass {

    @Override
    public Graph apply(Graph graph, PassContext context) {
        Map<String, Tensor> constants = new LinkedHashMap<>(graph.initializers());
        GraphUses uses = new GraphUses(graph);
        Set<Node> absorbed = new HashSet<>();
        List<Node> nodes = new ArrayList<>();
        for (Node node : graph.nodes()) {
            if (absorbed.contains(node)) {
                continue;
            }
            Node bn = node.opType().equals("Conv") && node.domain().isEmpty()
                    ? MatMulBiasFusion.single(uses, node.outputs().get(0), "BatchNormalization") : null;
            Node folded = bn == null ? null : fold(node, bn, constants, context);
            if (folded == null) {
                nodes.add(node);
            } else {
                nodes.add(folded);
                absorbed.add(bn);
            }
        }
        return absorbed.isEmpty() ? graph : graph.with(nodes, constants);
    }

    private static Node fold(Node conv, Node bn, Map<String, Tensor> constants, PassContext context) {
        if (!bn.inputs().get(0).equals(conv.outputs().get(0)) || bn.attrInt("training_mode", 0) != 0
                || (context.opset(bn) < 9 && bn.attrInt("spatial", 1) != 1) || usesExtraOutputs(bn)) {
            return null;
        }
        Tensor w = floatConstant(conv, 1, constants);
        if (w == null || w.shape().rank() < 3) {
            return null;
        }
        int m = w.shape().dim(0);
        Tensor b = conv.hasInput(2) ? floatConstant(conv, 2, constants) : null;
        if (conv.hasInput(2) && (b == null || b.size() != m)) {
            return null;
        }
        float[][] p = new float[4][];
        for (int i = 0; i < 4; i++) {
            Tensor t = floatConstant(bn, i + 1, constants);
            if (t == null || t.size() != m) {
                return null;
            }
            Tensor c = t.contiguous();
            p[i] = java.util.Arrays.copyOfRange(c.floatData(), c.offset(), c.offset() + m);
        }
        double eps = bn.attrFloat("epsilon", 1e-5f);
        Tensor wc = w.contiguous();
        float[] wd = wc.floatData();
        int per = w.size() / m;
        float[] newW = new float[w.size()];
        float[] newB = new float[m];
        float[] oldB = b == null ? new float[m] : b.contiguous().floatData();
        int bOff = b == null ? 0 : b.contiguous().offset();
        for (int o = 0; o < m; o++) {
            double s = p[0][o] / Math.sqrt((double) p[3][o] + eps);
            for (int i = 0; i < per; i++) {
                newW[o * per + i] = (float) (wd[wc.offset() + o * per + i] * s);
            }
            newB[o] = (float) ((oldB[bOff + o] - (double) p[2][o]) * s + p[1][o]);
        }
        String base = conv.name().isEmpty() ? conv.outputs().get(0) : conv.name();
        String wName = FreshName.of(base + "_bn_folded_W", constants);
        constants.put(wName, Tensor.wrap(DType.FLOAT, newW, w.shape()));
        String bName = FreshName.of(base + "_bn_folded_B", constants);
        constants.put(bName, Tensor.wrap(DType.FLOAT, newB, Shape.of(m)));
        return conv.withInputs(List.of(conv.inputs().get(0), wName, bName)).withOutputs(List.of(bn.outputs().get(0)));
    }

    private static boolean usesExtraOutputs(Node bn) {
        for (int i = 1; i < bn.outputs().size(); i++) {
            if (!bn.outputs().get(i).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static Tensor floatConstant(Node node, int input, Map<String, Tensor> constants) {
        Tensor t = node.hasInput(input) ? constants.get(node.inputs().get(input)) : null;
        return t != null && t.dtype() == DType.FLOAT ? t : null;
    }

}
