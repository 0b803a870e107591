package dev.sprig.core.ops;

import dev.sprig.core.Tensor;

/**
 * One node's computation, created at session creation by an {@link OperatorFactory} that has
 * already read and checked the node's attributes. {@link #run} may be called concurrently from
 * several threads: an operator keeps no per-run state (weights it pre-packed at creation are
 * read-only).
 */
@FunctionalInterface
public interface Operator {

    /**
     * Computes the outputs from the inputs. {@code inputs[i]} is null for an omitted optional
     * input. Returns one tensor per node output (new tensors, or views of the inputs where the
     * op is a view, e.g. Reshape or Identity). Throws {@link IllegalArgumentException} with what
     * was wrong (shape, dtype, value) for inputs the op cannot take; the session adds the node.
     */
    Tensor[] run(Tensor[] inputs, OpContext context);
}
