package dev.sprig.bench.model;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Model;
import dev.sprig.core.session.BatchingSession;
import dev.sprig.core.session.NodeObserver;
import dev.sprig.core.session.Session;
import dev.sprig.core.session.SessionOptions;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

/** A {@link VariantRunner} over a Sprig {@link Session} (graph passes on) on a given thread count. */
final class SprigRunner implements VariantRunner {

    private final Session session;

    /** Holds Sprig tensors as they are: Sprig needs no conversion. */
    private record SprigInputs(Map<String, Tensor> tensors) implements Prepared {
        @Override
        public void close() {
        }
    }

    SprigRunner(Model model, int threads) {
        this.session = Session.create(model, SessionOptions.threads(threads));
    }

    @Override
    public Prepared prepare(Map<String, Tensor> inputs) {
        return new SprigInputs(Map.copyOf(inputs));
    }

    @Override
    public void run(Prepared inputs) {
        session.run(((SprigInputs) inputs).tensors());
    }

    /**
     * A batching front over this runner's session (which stays open when the front is closed).
     *
     * @throws IllegalArgumentException when the model's batch dimension is fixed
     */
    BatchingSession batching(int maxBatch, Duration maxDelay) {
        return BatchingSession.create(session, maxBatch, maxDelay);
    }

    @Override
    public Map<String, Tensor> outputs(Map<String, Tensor> inputs) {
        return session.run(inputs);
    }

    /** The initializers of the graph as the session runs it (after folding). */
    @Override
    public long weightBytes() {
        return ModelWeights.bytes(session.graph());
    }

    @Override
    public OptionalLong arenaBytes(Map<String, Tensor> inputs) {
        return OptionalLong.of(session.memoryPlan(inputs).arenaBytes());
    }

    @Override
    public boolean canProfile() {
        return true;
    }

    @Override
    public void profile(Map<String, Tensor> inputs, NodeObserver observer) {
        session.run(inputs, observer);
    }

    @Override
    public void close() {
        session.close();
    }
}
