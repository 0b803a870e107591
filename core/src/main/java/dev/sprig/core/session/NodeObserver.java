package dev.sprig.core.session;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;

/**
 * Sees every node of a run as it finishes, with its inputs and outputs: for profiling, FLOP
 * counting and memory planning. Called on the thread that called {@link Session#run}; it must not
 * modify the tensors.
 *
 * <p>A run with an observer that {@linkplain #keepsTensors keeps tensors} allocates its
 * intermediates fresh from the heap, since a recycled buffer would change under a tensor the
 * observer still holds; observers that only look during the call opt out and the run recycles
 * buffers as usual.
 */
@FunctionalInterface
public interface NodeObserver {

    /** Node {@code index} (in execution order) has computed {@code outputs} from {@code inputs}. */
    void nodeDone(int index, Node node, Tensor[] inputs, Tensor[] outputs, long nanos);

    /**
     * True (the default) when the observer may hold on to the tensors after {@link #nodeDone}
     * returns (calibration collecting activations); false when it reads them only during the call
     * (timing, sizes), which lets the run recycle intermediate buffers as an unobserved run does.
     */
    default boolean keepsTensors() {
        return true;
    }
}
