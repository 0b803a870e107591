package dev.sprig.core.ops;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.kernels.ThreadPool;

/**
 * What an operator may use while it runs: the session's thread pool (kernels split their work
 * over it; results do not depend on its size) and the run's {@link OutputAllocator} for its
 * outputs.
 *
 * @param pool      the threads kernels may split work over
 * @param allocator where output storage comes from
 */
public record OpContext(ThreadPool pool, OutputAllocator allocator) {

    /** A context running everything on the calling thread, with fresh output arrays. */
    public static final OpContext SERIAL = new OpContext(ThreadPool.SERIAL);

    /** A context over {@code pool} with fresh output arrays. */
    public OpContext(ThreadPool pool) {
        this(pool, OutputAllocator.FRESH);
    }

    /** A zero-filled contiguous output tensor from the run's allocator. */
    public Tensor zeros(DType dtype, Shape shape) {
        return allocator.zeros(dtype, shape);
    }
}
