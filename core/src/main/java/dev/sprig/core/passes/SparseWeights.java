package dev.sprig.core.passes;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Attribute;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.fused.FusedOperators;
import dev.sprig.core.ops.fused.MatMulBias;
import dev.sprig.core.ops.sparse.SparseConv;
import dev.sprig.core.ops.sparse.SparseMatMul;
import dev.sprig.core.ops.sparse.SparseWeightsFormat;
import dev.sprig.kernels.sparse.SparseFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Layers whose constant weight is sparse enough that a sparse kernel beats the dense one, by the
 * crossover measured in {@link SparseCrossover}, run sparse: MatMul and {@code dev.sprig:MatMulBias}
 * (bias and fused activation kept) become {@code dev.sprig:SparseMatMul}; a 1x1 Conv or
 * {@code dev.sprig:FusedConv} (stride 1, no padding, one group) becomes {@code dev.sprig:SparseConv}.
 * The format (CSR, 1x4 blocks or 2:4) is the one with the highest measured speed-up for the
 * weight's zero pattern; a layer where none beats dense is left alone. Runs after the bias and
 * activation fusions so that it takes over their fused nodes whole.
 */
public final class SparseWeights implements GraphPass {

    @Override
    public Graph apply(Graph graph, PassContext context) {
        if (!context.registry().supports(FusedOperators.DOMAIN, SparseMatMul.OP_TYPE, FusedOperators.VERSION)) {
            return graph;
        }
        Map<String, Tensor> constants = graph.initializers();
        List<Node> nodes = new ArrayList<>();
        boolean changed = false;
        for (Node node : graph.nodes()) {
            Node rewritten = rewrite(node, constants);
            changed |= rewritten != node;
            nodes.add(rewritten);
        }
        return changed ? graph.withNodes(nodes) : graph;
    }

    private static Node rewrite(Node node, Map<String, Tensor> constants) {
        boolean matmul = (node.opType().equals("MatMul") && node.domain().isEmpty())
                || (node.opType().equals(MatMulBias.OP_TYPE) && node.domain().equals(FusedOperators.DOMAIN));
        boolean conv = (node.opType().equals("Conv") && node.domain().isEmpty())
                || (node.opType().equals(FusedOperators.FUSED_CONV) && node.domain().equals(FusedOperators.DOMAIN));
        if (!(matmul || conv) || !node.hasInput(1)) {
            return node;
        }
        Tensor w = constants.get(node.inputs().get(1));
        if (w == null || w.dtype() != DType.FLOAT) {
            return node;
        }
        if (matmul && w.shape().rank() == 2) {
            Tensor wc = w.contiguous();
            int k = w.shape().dim(0);
            int n = w.shape().dim(1);
            // the kernel's rows are outputs: B's columns
            return SparseCrossover.choose(wc.floatData(), wc.offset(), n, k, true)
                    .map(f -> sparseNode(node, SparseMatMul.OP_TYPE, f))
                    .orElse(node);
        }
        if (conv && isPointwise(node, w)) {
            Tensor wc = w.contiguous();
            int m = w.shape().dim(0);
            int c = w.shape().dim(1);
            Optional<SparseFormat> f = SparseCrossover.choose(wc.floatData(), wc.offset(), m, c, false);
            return f.map(format -> sparseNode(node, SparseConv.OP_TYPE, format)).orElse(node);
        }
        return node;
    }

    private static Node sparseNode(Node node, String opType, SparseFormat format) {
        Node sparse = new Node(node.name(), opType, FusedOperators.DOMAIN, node.inputs(), node.outputs(),
                node.attributes());
        return sparse.withAttribute(Attribute.of(SparseWeightsFormat.ATTRIBUTE, format.label()));
    }

    /** A Conv that is a per-pixel matrix product: 1x1 kernel, one group, stride 1, no padding. */
    private static boolean isPointwise(Node node, Tensor w) {
        int[] d = w.shape().dims();
        if (d.length < 3 || node.attrInt("group", 1) != 1) {
            return false;
        }
        for (int i = 2; i < d.length; i++) {
            if (d[i] != 1) {
                return false;
            }
        }
        for (long s : node.attrInts("strides", new long[0])) {
            if (s != 1) {
                return false;
            }
        }
        for (long p : node.attrInts("pads", new long[0])) {
            if (p != 0) {
                return false;
            }
        }
        String autoPad = node.attrString("auto_pad", "NOTSET");
        // SAME_* pads nothing for a 1x1 kernel at stride 1
        return autoPad.equals("NOTSET") || autoPad.equals("VALID") || autoPad.startsWith("SAME");
    }
}
