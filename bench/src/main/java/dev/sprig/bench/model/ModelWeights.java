package dev.sprig.bench.model;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Graph;

/** Bytes of a graph's weights: every initializer's elements times its element size. */
final class ModelWeights {

    private ModelWeights() {
    }

    static long bytes(Graph graph) {
        long total = 0;
        for (Tensor t : graph.initializers().values()) {
            total += (long) t.size() * t.dtype().byteSize();
        }
        return total;
    }
}
