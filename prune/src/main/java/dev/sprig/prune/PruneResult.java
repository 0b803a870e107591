package dev.sprig.prune;

import dev.sprig.core.graph.Model;
import java.util.List;

/**
 * A pruned model and what was done to it.
 *
 * @param model  the pruned (and, when asked, refitted) model; same inputs and outputs as the original
 * @param layers one entry per prunable layer, in graph order
 * @param notes  layers left alone or not refitted, with the reason
 */
public record PruneResult(Model model, List<LayerReport> layers, List<String> notes) {

    /**
     * One layer: its weight's element count in the original, its element count after pruning (smaller
     * only for channel pruning) and its non-zero count after pruning.
     */
    public record LayerReport(String layer, long denseWeights, long weights, long nonZero) {

        /** Fraction of the original weights that are gone or zero. */
        public double sparsity() {
            return denseWeights == 0 ? 0 : 1 - (double) nonZero / denseWeights;
        }
    }

    /** Public copies. */
    public PruneResult {
        layers = List.copyOf(layers);
        notes = List.copyOf(notes);
    }

    /** Fraction of all prunable layers' original weights that are gone or zero. */
    public double sparsity() {
        long dense = 0;
        long nz = 0;
        for (LayerReport l : layers) {
            dense += l.denseWeights;
            nz += l.nonZero;
        }
        return dense == 0 ? 0 : 1 - (double) nz / dense;
    }
}
