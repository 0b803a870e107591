package dev.sprig.core;

/**
 * A model Sprig cannot load or run: malformed, inconsistent, or using something Sprig does not
 * support. The message names the node, operator or value at fault, what was expected and what
 * was found. Unchecked, like every error Sprig reports.
 */
public class ModelException extends RuntimeException {

    /** An error with its full message. */
    public ModelException(String message) {
        super(message);
    }

    /** An error caused by another (a decoding failure, an operator's own check). */
    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
