package dev.sprig.core.session;

import dev.sprig.core.DType;
import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A session's free intermediate buffers, shared by its runs: the arrays of tensors whose last
 * reader has finished, kept by element type and exact length for the next output of that size.
 * This is the session's activation arena: after the first run, a model's intermediates come from
 * here instead of the heap (a 224x224 CNN's early activations are several MiB, past G1's
 * humongous threshold, so each fresh one costs a humongous-region allocation and adds GC work).
 * Exact lengths rather than size classes, because a network repeats the same few activation
 * shapes and an exact array can be wrapped as a tensor without a view.
 *
 * <p>At most {@code maxBytes} are kept; a buffer given back beyond that is left to the GC.
 * Thread-safe.
 */
final class BufferPool {

    private record Key(Class<?> storage, int length) {
    }

    private final Map<Key, ConcurrentLinkedDeque<Object>> free = new ConcurrentHashMap<>();
    private final AtomicLong pooledBytes = new AtomicLong();
    private final long maxBytes;

    BufferPool(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** A zero-filled free array for {@code length} elements of {@code dtype}, or null when none is free. */
    Object take(DType dtype, int length) {
        ConcurrentLinkedDeque<Object> list = free.get(new Key(dtype.storage(), length));
        Object array = list == null ? null : list.pollFirst();
        if (array == null) {
            return null;
        }
        pooledBytes.addAndGet(-bytes(array));
        clear(array);
        return array;
    }

    /** {@code array} is no longer read by anything: keep it for a later output of its length. */
    void give(Object array) {
        long b = bytes(array);
        if (pooledBytes.addAndGet(b) > maxBytes) {
            pooledBytes.addAndGet(-b);
            return;
        }
        free.computeIfAbsent(new Key(array.getClass(), Array.getLength(array)), k -> new ConcurrentLinkedDeque<>())
                .addFirst(array);
    }

    /** Bytes of the free buffers kept now. */
    long pooledBytes() {
        return pooledBytes.get();
    }

    /** Drops every free buffer. */
    void clear() {
        free.clear();
        pooledBytes.set(0);
    }

    private static long bytes(Object array) {
        long n = Array.getLength(array);
        return switch (array) {
            case float[] f -> n * Float.BYTES;
            case int[] i -> n * Integer.BYTES;
            case long[] l -> n * Long.BYTES;
            default -> n; // byte[] and boolean[]
        };
    }

    private static void clear(Object array) {
        switch (array) {
            case float[] f -> Arrays.fill(f, 0f);
            case byte[] b -> Arrays.fill(b, (byte) 0);
            case int[] i -> Arrays.fill(i, 0);
            case long[] l -> Arrays.fill(l, 0L);
            case boolean[] z -> Arrays.fill(z, false);
            default -> throw new IllegalStateException("not a tensor array: " + array.getClass());
        }
    }
}
