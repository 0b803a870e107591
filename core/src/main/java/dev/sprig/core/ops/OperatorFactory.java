package dev.sprig.core.ops;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import java.util.Map;

/**
 * Builds the {@link Operator} of one node for the opset version the model imports: reads and
 * checks the attributes (a {@link dev.sprig.core.ModelException} naming the node for a missing
 * or invalid one), so that everything wrong with a model is reported at load, not mid-run.
 */
@FunctionalInterface
public interface OperatorFactory {

    /** The operator of {@code node} under opset {@code opset} of its domain. */
    Operator create(Node node, int opset);

    /**
     * The operator of {@code node}, given the values of the graph's constants (initializers and
     * folded results, by value name): an operator whose weights are constant prepares them here
     * once (GEMM weights packed for the microkernel) instead of on every run. By default the
     * constants are not used.
     */
    default Operator create(Node node, int opset, Map<String, Tensor> constants) {
        return create(node, opset);
    }
}
