package dev.sprig.core.ops;

import dev.sprig.core.ModelException;

/**
 * A node whose operator Sprig does not implement (for its domain and the model's opset). Thrown
 * at session creation, never mid-run; the message names op type, domain, opset and node.
 */
public final class UnsupportedOperatorException extends ModelException {

    /** The full message. */
    public UnsupportedOperatorException(String message) {
        super(message);
    }
}
