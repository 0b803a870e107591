package dev.sprig.onnx;

import dev.sprig.core.Shape;

/**
 * Limits on what {@link OnnxModelLoader} accepts, checked against the sizes a file declares
 * before anything of that size is allocated, so a hostile file cannot make the loader allocate
 * more than these bounds allow.
 *
 * @param maxModelBytes     the most bytes loading may read: the {@code .onnx} file itself plus every
 *                          external data range it refers to (counted each time it is referred to)
 * @param maxTensorElements the most elements one initializer or tensor attribute may have
 */
public record LoadOptions(long maxModelBytes, long maxTensorElements) {

    /**
     * Default model size bound: 4 GiB (a protobuf file alone cannot exceed 2 GiB; larger models keep
     * their weights in external data).
     */
    public static final long DEFAULT_MAX_MODEL_BYTES = 4L << 30;

    /** Checks the values. */
    public LoadOptions {
        if (maxModelBytes < 1) {
            throw new IllegalArgumentException("maxModelBytes must be >= 1, got " + maxModelBytes);
        }
        if (maxTensorElements < 0) {
            throw new IllegalArgumentException("maxTensorElements must be >= 0, got " + maxTensorElements);
        }
    }

    /**
     * {@link #DEFAULT_MAX_MODEL_BYTES} and the largest tensor a Java array can hold
     * ({@link Shape#MAX_ELEMENTS}): generous enough for any model Sprig can run. Lower both when
     * loading files from people you do not trust.
     */
    public static LoadOptions defaults() {
        return new LoadOptions(DEFAULT_MAX_MODEL_BYTES, Shape.MAX_ELEMENTS);
    }

    /** These options with another byte bound. */
    public LoadOptions withMaxModelBytes(long bytes) {
        return new LoadOptions(bytes, maxTensorElements);
    }

    /** These options with another element bound per tensor. */
    public LoadOptions withMaxTensorElements(long elements) {
        return new LoadOptions(maxModelBytes, elements);
    }
}
