package dev.sprig.core.session;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.ops.OutputAllocator;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * One run's outputs drawn from the session's {@link BufferPool}. It remembers which arrays it
 * handed out, so that only those go back to the pool when the run drops them: an operator may
 * return a constant's array or a view of the caller's input, which must never be recycled, and
 * graph outputs are never dropped, so they leave with the caller untouched.
 */
final class RunBuffers implements OutputAllocator {

    /**
     * Below this many elements an output comes from the heap: a small array is a TLAB bump
     * allocation, cheaper than the pool's bookkeeping.
     */
    static final int MIN_POOLED_ELEMENTS = 1024;

    private final BufferPool pool;
    private final Set<Object> handedOut = Collections.newSetFromMap(new IdentityHashMap<>());

    RunBuffers(BufferPool pool) {
        this.pool = pool;
    }

    @Override
    public synchronized Tensor zeros(DType dtype, Shape shape) {
        int n = shape.size();
        if (n < MIN_POOLED_ELEMENTS) {
            return Tensor.zeros(dtype, shape);
        }
        Object array = pool.take(dtype, n);
        Tensor t = array == null ? Tensor.zeros(dtype, shape) : Tensor.wrap(dtype, array, shape);
        handedOut.add(t.array());
        return t;
    }

    /** Nothing in the run refers to {@code array} any more: back to the pool when it came from there. */
    synchronized void dead(Object array) {
        if (handedOut.remove(array)) {
            pool.give(array);
        }
    }
}
