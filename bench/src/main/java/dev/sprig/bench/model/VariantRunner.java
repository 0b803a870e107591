package dev.sprig.bench.model;

import dev.sprig.core.Tensor;
import dev.sprig.core.session.NodeObserver;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One benchmarked variant of a model, ready to run on a fixed number of threads: a Sprig
 * {@link dev.sprig.core.session.Session} or an ONNX Runtime session. Inputs are converted to the
 * runtime's own form once ({@link #prepare}) so the timed loop measures inference only, for every
 * runtime alike. Implementations are safe for concurrent {@link #run(Prepared)} calls.
 */
public interface VariantRunner extends AutoCloseable {

    /** Inputs in the runtime's own form, made once outside the timed loop. */
    interface Prepared extends AutoCloseable {
        @Override
        void close();
    }

    /** Converts {@code inputs} (by graph input name) for {@link #run(Prepared)}. */
    Prepared prepare(Map<String, Tensor> inputs);

    /** One inference whose outputs are dropped: the timed operation. */
    void run(Prepared inputs);

    /** One inference returning the outputs as Sprig tensors, by output name in the model's order. */
    Map<String, Tensor> outputs(Map<String, Tensor> inputs);

    /** Bytes of the weights (initializers) the runtime holds for this variant. */
    long weightBytes();

    /**
     * Bytes of the planned activation arena for {@code inputs}, when the runtime reports a plan
     * (Sprig does, {@link dev.sprig.core.session.Session#memoryPlan}); empty otherwise.
     */
    OptionalLong arenaBytes(Map<String, Tensor> inputs);

    /** True when {@link #profile} reports per-node times. */
    boolean canProfile();

    /**
     * One inference telling {@code observer} about every node with its time.
     *
     * @throws UnsupportedOperationException when {@link #canProfile()} is false
     */
    void profile(Map<String, Tensor> inputs, NodeObserver observer);

    @Override
    void close();
}
