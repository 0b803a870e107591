package dev.sprig.core.ops;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;

/**
 * Where an operator gets the storage of its outputs. A session hands its runs an allocator that
 * recycles the buffers of intermediate tensors that are no longer read (see the session package);
 * everything else (constant folding, tests) gets {@link #FRESH} arrays.
 */
@FunctionalInterface
public interface OutputAllocator {

    /** New arrays from the heap, as {@link Tensor#zeros}. */
    OutputAllocator FRESH = Tensor::zeros;

    /**
     * A zero-filled contiguous tensor of {@code shape}, owned by the operator's result: whether
     * its array is new or recycled, it reads as zeros, so an operator may accumulate into it.
     */
    Tensor zeros(DType dtype, Shape shape);
}
