package dev.sprig.core.graph;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model exported with its batch fixed at 1 (mnist-8: input {@code [1,1,28,28]}, and a Reshape to
 * the constant {@code [1,256]} before the dense layer) rewritten with a symbolic batch, so that
 * Spark's {@code SprigInference} can run 64 rows at once: dimension 0 of every graph input and output
 * becomes the symbol {@code N}, and every Reshape of an activation to a constant shape starting
 * with 1 copies the input's dimension 0 there instead (see {@link #batchEntry}). Declared
 * intermediate shapes are dropped (they state the old batch).
 *
 * <p>The rewrite trusts that a leading 1 is the batch. A model that uses a leading 1 for something
 * else (a Reshape to {@code [1, C*H*W]} that flattens the batch into one row, say) would compute
 * something different at batch N, so a caller that does not know the model checks the rewrite: the
 * model benchmark's {@code --free-batch} runs a batch of two samples and compares each row with
 * the sample run alone.
 */
public final class FreeBatchRewrite {

    private FreeBatchRewrite() {
    }

    /**
     * The rewritten model.
     *
     * @throws ModelException when a graph input does not declare dimension 0 as 1
     */
    public static Model of(Model model) {
        Graph g = model.graph();
        List<ValueInfo> inputs = new ArrayList<>();
        for (ValueInfo in : g.inputs()) {
            if (in.shape() == null || in.shape().isEmpty() || !in.shape().get(0).isFixed()
                    || in.shape().get(0).value() != 1) {
                throw new ModelException("input " + in + " does not fix its batch dimension at 1; nothing to rewrite");
            }
            inputs.add(freeBatch(in));
        }
        List<ValueInfo> outputs = g.outputs().stream().map(FreeBatchRewrite::freeBatch).toList();
        Map<String, Tensor> initializers = new LinkedHashMap<>(g.initializers());
        List<Node> nodes = new ArrayList<>();
        for (Node node : g.nodes()) {
            String shape = node.inputs().size() == 2 ? node.inputs().get(1) : null;
            Tensor target = shape == null ? null : g.initializers().get(shape);
            boolean activation = !g.initializers().containsKey(node.inputs().get(0));
            if (node.opType().equals("Reshape") && activation && target != null && target.dtype() == DType.INT64
                    && target.size() > 0 && target.longData()[target.offset()] == 1) {
                long[] dims = new long[target.size()];
                System.arraycopy(target.longData(), target.offset(), dims, 0, dims.length);
                dims[0] = batchEntry(node, dims);
                String renamed = shape + "_free_batch";
                initializers.put(renamed, Tensor.of(dims, dims.length));
                List<String> in = new ArrayList<>(node.inputs());
                in.set(1, renamed);
                node = node.withInputs(in);
            }
            nodes.add(node);
        }
        Graph free = new Graph(g.name(), nodes, inputs, outputs, initializers, List.of());
        return new Model(free, model.opsets(), model.irVersion(), model.producer());
    }

    /**
     * What replaces the leading 1: 0, which Reshape reads as "copy the input's dimension 0" (the
     * batch), so that a target with its own -1 ({@code [1,-1,28,28]} in shufflenet's channel shuffle)
     * stays valid; -1 when {@code allowzero=1} makes 0 a literal zero, if no other entry is -1.
     */
    private static long batchEntry(Node reshape, long[] dims) {
        if (reshape.attrInt("allowzero", 0) == 0) {
            return 0;
        }
        for (int i = 1; i < dims.length; i++) {
            if (dims[i] == -1) {
                throw new ModelException(reshape.describe() + ": its target " + Arrays.toString(dims)
                        + " already infers a dimension and allowzero=1 forbids copying the batch; nothing to rewrite");
            }
        }
        return -1;
    }

    private static ValueInfo freeBatch(ValueInfo v) {
        if (v.shape() == null || v.shape().isEmpty()) {
            return v;
        }
        List<ValueInfo.Dim> dims = new ArrayList<>(v.shape());
        dims.set(0, ValueInfo.Dim.symbolic("N"));
        return new ValueInfo(v.name(), v.type(), dims);
    }
}
