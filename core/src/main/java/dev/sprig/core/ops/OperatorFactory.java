package dev.sprig.core.ops;

import dev.sprig.core.ModelException;
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

    /**
     * The factory of an operator that prepares its weights when they are constants and reads them
     * from its inputs on every run otherwise: without constants, {@code make} gets an empty map.
     */
    static OperatorFactory preparing(WithConstants make) {
        return new OperatorFactory() {
            @Override
            public Operator create(Node node, int opset) {
                return make.create(node, opset, Map.of());
            }

            @Override
            public Operator create(Node node, int opset, Map<String, Tensor> constants) {
                return make.create(node, opset, constants);
            }
        };
    }

    /**
     * The factory of an operator that exists only with constant weights (the fused and sparse
     * nodes the graph passes and the pruner write): made without them, it is a
     * {@link ModelException} naming the node.
     */
    static OperatorFactory requiringConstants(WithConstants make) {
        return new OperatorFactory() {
            @Override
            public Operator create(Node node, int opset) {
                throw new ModelException(node.describe() + ": needs its constant weights (created by a session)");
            }

            @Override
            public Operator create(Node node, int opset, Map<String, Tensor> constants) {
                return make.create(node, opset, constants);
            }
        };
    }

    /** Builds an operator given the graph's constants (by value name; empty when there are none). */
    @FunctionalInterface
    interface WithConstants {
        Operator create(Node node, int opset, Map<String, Tensor> constants);
    }
}
