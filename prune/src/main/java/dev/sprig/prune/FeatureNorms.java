package dev.sprig.prune;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Model;
import dev.sprig.core.session.Session;
import dev.sprig.core.session.SessionOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Wanda's activation statistic: per layer and reduction column r, the L2 norm of feature r over
 * all calibration rows (for a Conv, the im2col patch element, so each input channel and kernel tap
 * has its own norm).
 */
final class FeatureNorms {

    private FeatureNorms() {
    }

    /** Norms per layer node index; layers whose features cannot be formed are noted and left out. */
    static Map<Integer, double[]> of(Model model, List<WeightLayer> layers, Iterable<Map<String, Tensor>> data,
                                     List<String> notes) {
        Map<Integer, WeightLayer> byNode = new HashMap<>();
        Map<Integer, double[]> sums = new HashMap<>();
        for (WeightLayer l : layers) {
            int[] dims = model.graph().initializers().get(l.weightName()).shape().dims();
            String why = LayerFeatures.unsupported(l, dims);
            if (why != null) {
                notes.add(l.describe() + ": magnitude instead of Wanda scores: " + why);
                continue;
            }
            byNode.put(l.nodeIndex(), l);
            sums.put(l.nodeIndex(), new double[l.reduction()]);
        }
        int samples = 0;
        try (Session s = Session.create(model, new SessionOptions(1, false))) {
            for (Map<String, Tensor> inputs : data) {
                s.run(inputs, (index, node, in, out, nanos) -> {
                    WeightLayer l = byNode.get(index);
                    if (l == null) {
                        return;
                    }
                    int[] dims = model.graph().initializers().get(l.weightName()).shape().dims();
                    LayerFeatures.Rows rows = LayerFeatures.of(l, in[0], dims);
                    double[] acc = sums.get(index);
                    float[] x = rows.data();
                    for (int r = 0; r < rows.rows(); r++) {
                        for (int k = 0; k < rows.width(); k++) {
                            double v = x[r * rows.width() + k];
                            acc[k] += v * v;
                        }
                    }
                });
                samples++;
            }
        }
        if (samples == 0) {
            throw new IllegalArgumentException("Wanda pruning needs calibration data; none was given");
        }
        sums.values().forEach(a -> {
            for (int i = 0; i < a.length; i++) {
                a[i] = Math.sqrt(a[i]);
            }
        });
        return sums;
    }
}
