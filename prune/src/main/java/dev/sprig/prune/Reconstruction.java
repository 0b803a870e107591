package dev.sprig.prune;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.session.Session;
import dev.sprig.core.session.SessionOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Layer-wise least-squares refit of a pruned model against its dense original, without training:
 * layer by layer in graph order, the pruned layer's kept weights and bias are refitted so that, on
 * the calibration data, its output from the <em>pruned</em> model's input matches the dense layer's
 * output from the <em>dense</em> model's input. Each refit sees the earlier refits, so errors do
 * not pile up layer after layer. The pruning pattern is kept: pruned weights stay zero.
 */
final class Reconstruction {

    private Reconstruction() {
    }

    /**
     * @param masks   per layer node index, the kept weights of W[o][r] (absent: all kept)
     * @param rowMap  per layer node index, the dense row of every pruned row (absent: the same row)
     */
    static Model refit(Model dense, Model pruned, Iterable<Map<String, Tensor>> data, Map<Integer, boolean[]> masks,
                       Map<Integer, int[]> rowMap, double ridge, PruneProgress progress, List<String> notes) {
        List<WeightLayer> denseLayers = WeightLayer.find(dense.graph(), new ArrayList<>());
        Map<Integer, WeightLayer> denseByNode = new HashMap<>();
        denseLayers.forEach(l -> denseByNode.put(l.nodeIndex(), l));
        List<WeightLayer> layers = WeightLayer.find(pruned.graph(), new ArrayList<>());
        Model current = pruned;
        int done = 0;
        try (Session denseSession = Session.create(dense, new SessionOptions(1, false))) {
            for (WeightLayer layer : layers) {
                progress.update("reconstruct", done++, layers.size());
                WeightLayer d = denseByNode.get(layer.nodeIndex());
                Graph g = current.graph();
                Tensor w = g.initializers().get(layer.weightName());
                String why = d == null ? "no dense counterpart" : LayerFeatures.unsupported(layer, w.shape().dims());
                if (why != null) {
                    notes.add(layer.describe() + ": not refitted: " + why);
                    continue;
                }
                current = refitLayer(denseSession, dense, d, current, layer, data,
                        masks.get(layer.nodeIndex()), rowMap.get(layer.nodeIndex()), ridge);
            }
        }
        progress.update("reconstruct", layers.size(), layers.size());
        return current;
    }

    private static Model refitLayer(Session denseSession, Model dense, WeightLayer d, Model current, WeightLayer layer,
                                    Iterable<Map<String, Tensor>> data, boolean[] mask, int[] rows, double ridge) {
        Graph g = current.graph();
        Tensor w = g.initializers().get(layer.weightName());
        Tensor dw = dense.graph().initializers().get(d.weightName());
        int[] wDims = w.shape().dims();
        int[] dDims = dw.shape().dims();
        NormalEquations ne = new NormalEquations(layer.reduction(), d.reduction());
        int samples = 0;
        try (Session s = Session.create(current, new SessionOptions(1, false))) {
            for (Map<String, Tensor> inputs : data) {
                Tensor xd = inputOf(denseSession, inputs, d.nodeIndex());
                Tensor xp = inputOf(s, inputs, layer.nodeIndex());
                LayerFeatures.Rows fd = LayerFeatures.of(d, xd, dDims);
                LayerFeatures.Rows fp = LayerFeatures.of(layer, xp, wDims);
                ne.add(fp.data(), fd.data(), fp.rows());
                samples++;
            }
        }
        if (samples == 0) {
            throw new IllegalArgumentException("reconstruction needs calibration data; none was given");
        }
        float[] m = layer.matrix(w);
        float[] dm = d.matrix(dw);
        float[] denseBias = d.biasName() == null ? null : Floats.of(dense.graph().initializers().get(d.biasName()));
        boolean withBias = layer.biasName() != null && denseBias != null;
        float[] bias = withBias ? Floats.of(g.initializers().get(layer.biasName())) : null;
        int p = layer.reduction();
        for (int o = 0; o < layer.outputs(); o++) {
            int dr = rows == null ? o : rows[o];
            boolean[] keep = new boolean[p];
            for (int r = 0; r < p; r++) {
                keep[r] = mask == null || mask[o * p + r];
            }
            float[] denseRow = java.util.Arrays.copyOfRange(dm, dr * d.reduction(), (dr + 1) * d.reduction());
            double b = denseBias == null ? 0 : denseBias[dr];
            float[] start = java.util.Arrays.copyOfRange(m, o * p, (o + 1) * p);
            double[] x = LeastSquares.refitRow(ne, denseRow, b, keep, start, withBias, ridge);
            int k = 0;
            for (int r = 0; r < p; r++) {
                m[o * p + r] = keep[r] ? (float) x[k++] : 0f;
            }
            if (withBias) {
                bias[o] = (float) x[k];
            }
        }
        Map<String, Tensor> inits = new LinkedHashMap<>(g.initializers());
        inits.put(layer.weightName(), layer.tensor(m, w.shape()));
        if (withBias) {
            inits.put(layer.biasName(), Tensor.of(bias, g.initializers().get(layer.biasName()).shape().dims()));
        }
        return new Model(g.with(g.nodes(), inits), current.opsets(), current.irVersion(), current.producer());
    }

    /** Input 0 of node {@code index} when the session runs on {@code inputs}. */
    private static Tensor inputOf(Session session, Map<String, Tensor> inputs, int index) {
        Tensor[] seen = new Tensor[1];
        session.run(inputs, (i, node, in, out, nanos) -> {
            if (i == index) {
                seen[0] = in[0];
            }
        });
        if (seen[0] == null) {
            throw new IllegalStateException("node " + index + " did not run");
        }
        return seen[0];
    }
}
