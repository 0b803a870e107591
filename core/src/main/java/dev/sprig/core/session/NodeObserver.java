package dev.sprig.core.session;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;

/**
 * Sees every node of a run as it finishes, with its inputs and outputs: for profiling, FLOP
 * counting and memory planning. Called on the thread that called {@link Session#run}; it must not
 * modify the tensors.
 */
@FunctionalInterface
public interface NodeObserver {

    /** Node {@code index} (in execution order) has computed {@code outputs} from {@code inputs}. */
    void nodeDone(int index, Node node, Tensor[] inputs, Tensor[] outputs, long nanos);
}
