package dev.sprig.core.ops;

import dev.sprig.core.graph.Node;

/**
 * Builds the {@link Operator} of one node for the opset version the model imports: reads and
 * checks the attributes (a {@link dev.sprig.core.ModelException} naming the node for a missing
 * or invalid one), so that everything wrong with a model is reported at load, not mid-run.
 */
@FunctionalInterface
public interface OperatorFactory {

    /** The operator of {@code node} under opset {@code opset} of its domain. */
    Operator create(Node node, int opset);
}
