package dev.sprig.quant;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.ValueInfo;
import dev.sprig.core.session.Session;
import dev.sprig.core.session.SessionOptions;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Runs a model over the calibration data node for node (graph passes off, so every tensor of the
 * graph as written is computed and can be watched) and hands each watched tensor to a sink: the
 * graph inputs from the data, the others as their node finishes.
 */
final class WatchedRuns {

    /** Counts model runs across the phases of one quantization, for {@link QuantProgress}. */
    static final class Counter {
        private final QuantProgress progress;
        private final long total;
        private long done;

        Counter(QuantProgress progress, long total) {
            this.progress = progress;
            this.total = total;
        }

        void step(String phase) {
            progress.update(phase, ++done, total);
        }
    }

    private WatchedRuns() {
    }

    static void run(Model model, CalibrationData data, Set<String> watched, BiConsumer<String, Tensor> sink,
                    Counter counter, String phase) {
        try (Session session = Session.create(model, SessionOptions.defaults().withOptimize(false))) {
            for (Map<String, Tensor> inputs : data) {
                for (ValueInfo in : model.graph().inputs()) {
                    Tensor t = inputs.get(in.name());
                    if (t != null && watched.contains(in.name())) {
                        sink.accept(in.name(), t);
                    }
                }
                session.run(inputs, (index, node, in, out, nanos) -> {
                    for (int j = 0; j < node.outputs().size() && j < out.length; j++) {
                        String name = node.outputs().get(j);
                        if (out[j] != null && watched.contains(name)) {
                            sink.accept(name, out[j]);
                        }
                    }
                });
                counter.step(phase);
            }
        }
    }
}
