package dev.sprig.onnx;

import dev.sprig.core.ModelException;

/**
 * The one exception {@link OnnxModelLoader} and {@link TensorProtos} throw for a model file they
 * cannot accept: unreadable, not ONNX, truncated or corrupt, inconsistent (a size that does not
 * match the bytes present, a cycle, a value produced twice, an input nothing produces, an
 * attribute whose declared type does not match its value), using something Sprig cannot represent,
 * or larger than the {@link LoadOptions} limits. The message names the tensor, node, attribute or
 * value at fault, what was expected and what was found.
 *
 * <p>It is a {@link ModelException}, so callers that catch the general type keep working. Loading
 * an untrusted file throws nothing else: no other exception, no {@link OutOfMemoryError} beyond
 * the limits, no hang (this is what {@code ModelFuzzTest} checks on mutated models).
 */
public class ModelLoadException extends ModelException {

    /** True when the loader failed unexpectedly (a Sprig bug), see {@link #isInternalError()}. */
    private final boolean internal;

    /** An error with its full message. */
    public ModelLoadException(String message) {
        this(message, null, false);
    }

    /** An error caused by another (a protobuf decoding failure, an I/O error). */
    public ModelLoadException(String message, Throwable cause) {
        this(message, cause, cause instanceof ModelLoadException m && m.internal);
    }

    private ModelLoadException(String message, Throwable cause, boolean internal) {
        super(message, cause);
        this.internal = internal;
    }

    /**
     * The rejection of a model on which the loader failed in a way it did not foresee (the cause, e.g.
     * an IndexOutOfBoundsException): the caller still gets this one type, and {@link #isInternalError}
     * tells a Sprig bug apart from a bad file.
     */
    static ModelLoadException internal(RuntimeException cause) {
        return new ModelLoadException("internal error while loading the model (a Sprig bug, please report it"
                + " with the file): " + cause, cause, true);
    }

    /**
     * True when the loader rejected the model on an unexpected error of its own rather than on a
     * problem it recognised: a Sprig bug worth reporting (the fuzz test fails on it). The model is
     * rejected either way.
     */
    public boolean isInternalError() {
        return internal;
    }
}
