package dev.sprig.prune;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prunes a model's Conv, Gemm and MatMul weights ({@link PruneMethod}) and, when asked, refits what
 * remains by layer-wise least squares against the dense model ({@link PruneConfig#reconstruct()}).
 * The result is an ordinary model: zeros in the weights, or smaller weights for channel pruning.
 *
 * <pre>{@code
 * Model small = Pruner.prune(model, PruneConfig.of(PruneMethod.MAGNITUDE, 0.8).withReconstruct(true), calibration);
 * }</pre>
 *
 * <p>Calibration data is one map of graph inputs per sample; it is iterated several times (once per
 * layer for the refit), so its {@code iterator()} must start afresh on each call. WANDA and the
 * refit need it; the other methods ignore it (CHANNELS runs the first sample to learn value shapes).
 */
public final class Pruner {

    private Pruner() {
    }

    /** The pruned model. */
    public static Model prune(Model model, PruneConfig config, Iterable<Map<String, Tensor>> calibration) {
        return run(model, config, calibration, PruneProgress.NONE).model();
    }

    /** The pruned model with a per-layer report; {@code progress} hears about each phase. */
    public static PruneResult run(Model model, PruneConfig config, Iterable<Map<String, Tensor>> calibration,
                                  PruneProgress progress) {
        Model dense = WeightPreparation.prepare(model);
        List<String> notes = new ArrayList<>();
        List<WeightLayer> layers = WeightLayer.find(dense.graph(), notes);
        Map<Integer, boolean[]> masks = new HashMap<>();
        Map<Integer, int[]> rowMap = new HashMap<>();
        Model pruned = config.method() == PruneMethod.CHANNELS
                ? shrinkChannels(dense, layers, config, calibration, rowMap, notes, progress)
                : zeroWeights(dense, layers, config, calibration, masks, notes, progress);
        if (config.reconstruct()) {
            pruned = Reconstruction.refit(dense, pruned, calibration, masks, rowMap, config.ridge(), progress, notes);
        }
        return new PruneResult(pruned, report(dense, pruned), notes);
    }

    private static Model zeroWeights(Model dense, List<WeightLayer> layers, PruneConfig config,
                                     Iterable<Map<String, Tensor>> calibration, Map<Integer, boolean[]> masks,
                                     List<String> notes, PruneProgress progress) {
        Graph g = dense.graph();
        Map<Integer, double[]> norms = config.method() == PruneMethod.WANDA
                ? FeatureNorms.of(dense, layers, calibration, notes) : Map.of();
        float[][] w = new float[layers.size()][];
        for (int l = 0; l < layers.size(); l++) {
            w[l] = layers.get(l).matrix(g.initializers().get(layers.get(l).weightName()));
        }
        boolean[][] keep = new boolean[layers.size()][];
        if (config.method() == PruneMethod.MAGNITUDE && config.global()) {
            double[][] scores = new double[layers.size()][];
            long total = 0;
            for (int l = 0; l < layers.size(); l++) {
                scores[l] = SparsityPatterns.magnitudes(w[l]);
                total += scores[l].length;
            }
            keep = SparsityPatterns.pruneSmallest(scores, SparsityPatterns.count(config.sparsity(), total));
        } else {
            for (int l = 0; l < layers.size(); l++) {
                WeightLayer layer = layers.get(l);
                int rows = layer.outputs();
                int cols = layer.reduction();
                double[] mag = SparsityPatterns.magnitudes(w[l]);
                keep[l] = switch (config.method()) {
                    case MAGNITUDE -> SparsityPatterns.pruneSmallest(new double[][]{mag},
                            SparsityPatterns.count(config.sparsity(), mag.length))[0];
                    case WANDA -> SparsityPatterns.pruneSmallestPerRow(wandaScores(mag, norms.get(layer.nodeIndex()),
                            rows, cols), rows, cols, config.sparsity());
                    case N_M -> SparsityPatterns.nOfM(mag, rows, cols, config.n(), config.m());
                    case BLOCK_1X4 -> SparsityPatterns.blocks(w[l], rows, cols, 1, 4, config.sparsity());
                    case BLOCK_4X4 -> SparsityPatterns.blocks(w[l], rows, cols, 4, 4, config.sparsity());
                    case CHANNELS -> throw new IllegalStateException("channels are not zeroed");
                };
                progress.update("prune", l + 1, layers.size());
            }
        }
        Map<String, Tensor> inits = new LinkedHashMap<>(g.initializers());
        for (int l = 0; l < layers.size(); l++) {
            WeightLayer layer = layers.get(l);
            float[] m = w[l];
            for (int i = 0; i < m.length; i++) {
                if (!keep[l][i]) {
                    m[i] = 0f;
                }
            }
            masks.put(layer.nodeIndex(), keep[l]);
            inits.put(layer.weightName(), layer.tensor(m, g.initializers().get(layer.weightName()).shape()));
        }
        return new Model(g.with(g.nodes(), inits), dense.opsets(), dense.irVersion(), dense.producer());
    }

    /** |w[o][r]| x ||x_r||; plain magnitude when the layer's input norms are unknown. */
    private static double[] wandaScores(double[] mag, double[] norm, int rows, int cols) {
        if (norm == null) {
            return mag;
        }
        double[] s = new double[mag.length];
        for (int o = 0; o < rows; o++) {
            for (int r = 0; r < cols; r++) {
                s[o * cols + r] = mag[o * cols + r] * norm[r];
            }
        }
        return s;
    }

    private static Model shrinkChannels(Model dense, List<WeightLayer> layers, PruneConfig config,
                                        Iterable<Map<String, Tensor>> calibration, Map<Integer, int[]> rowMap,
                                        List<String> notes, PruneProgress progress) {
        Map<String, Tensor> sample = ValueShapes.sample(dense, calibration);
        Model current = dense;
        int done = 0;
        for (WeightLayer original : layers) {
            progress.update("shrink", done++, layers.size());
            Graph g = current.graph();
            WeightLayer layer = WeightLayer.find(g, new ArrayList<>()).stream()
                    .filter(l -> l.nodeIndex() == original.nodeIndex()).findFirst().orElseThrow();
            ChannelShrink.Plan plan = ChannelShrink.plan(g, layer, ValueShapes.observe(current, sample));
            if (!plan.possible()) {
                notes.add(layer.describe() + ": channels kept: " + plan.refusal());
                continue;
            }
            double[] score = channelScores(g, layer, plan, config.criterion());
            if (score == null) {
                notes.add(layer.describe() + ": channels kept: criterion BN_GAMMA needs a BatchNormalization"
                        + " after the layer, there is none");
                continue;
            }
            int remove = (int) Math.min(layer.outputs() - 1, SparsityPatterns.count(config.sparsity(), layer.outputs()));
            boolean[] keep = SparsityPatterns.pruneSmallest(new double[][]{score}, remove)[0];
            int[] removed = new int[remove];
            int[] kept = new int[layer.outputs() - remove];
            for (int c = 0, a = 0, b = 0; c < keep.length; c++) {
                if (keep[c]) {
                    kept[b++] = c;
                } else {
                    removed[a++] = c;
                }
            }
            rowMap.put(layer.nodeIndex(), kept);
            current = new Model(plan.apply(g, removed), current.opsets(), current.irVersion(), current.producer());
        }
        progress.update("shrink", layers.size(), layers.size());
        return current;
    }

    /** Per output channel: L1 or L2 of its weights, or |gamma| of the following BatchNormalization (null if none). */
    private static double[] channelScores(Graph g, WeightLayer layer, ChannelShrink.Plan plan, ChannelCriterion c) {
        if (c == ChannelCriterion.BN_GAMMA) {
            if (plan.gammaName() == null) {
                return null;
            }
            float[] gamma = Floats.of(g.initializers().get(plan.gammaName()));
            double[] s = new double[gamma.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = Math.abs(gamma[i]);
            }
            return s;
        }
        float[] m = layer.matrix(g.initializers().get(layer.weightName()));
        double[] s = new double[layer.outputs()];
        for (int o = 0; o < s.length; o++) {
            double acc = 0;
            for (int r = 0; r < layer.reduction(); r++) {
                double v = m[o * layer.reduction() + r];
                acc += c == ChannelCriterion.L1 ? Math.abs(v) : v * v;
            }
            s[o] = c == ChannelCriterion.L1 ? acc : Math.sqrt(acc);
        }
        return s;
    }

    private static List<PruneResult.LayerReport> report(Model dense, Model pruned) {
        List<PruneResult.LayerReport> out = new ArrayList<>();
        Map<Integer, WeightLayer> after = new HashMap<>();
        WeightLayer.find(pruned.graph(), new ArrayList<>()).forEach(l -> after.put(l.nodeIndex(), l));
        for (WeightLayer d : WeightLayer.find(dense.graph(), new ArrayList<>())) {
            WeightLayer p = after.get(d.nodeIndex());
            long denseCount = dense.graph().initializers().get(d.weightName()).size();
            if (p == null) {
                continue;
            }
            float[] w = Floats.of(pruned.graph().initializers().get(p.weightName()));
            long nz = 0;
            for (float v : w) {
                nz += v != 0 ? 1 : 0;
            }
            out.add(new PruneResult.LayerReport(d.describe(), denseCount, w.length, nz));
        }
        return out;
    }
}
