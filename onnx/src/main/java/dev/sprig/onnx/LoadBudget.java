package dev.sprig.onnx;

/**
 * What one load may still read under its {@link LoadOptions}: every byte taken from the model file
 * or an external data file is charged here before it is read, and each tensor's element count is
 * checked before its array is allocated. One per load; not shared between threads.
 */
final class LoadBudget {

    private final LoadOptions options;
    private long bytesRead;

    LoadBudget(LoadOptions options) {
        this.options = options;
    }

    LoadOptions options() {
        return options;
    }

    /** Charges {@code bytes} about to be read for {@code what}; throws when the total would pass the limit. */
    void chargeBytes(long bytes, String what) {
        if (bytes > options.maxModelBytes() - bytesRead) {
            throw new ModelLoadException(what + ": reading " + bytes + " more bytes (" + bytesRead + " read so far)"
                    + " would pass the limit maxModelBytes = " + options.maxModelBytes());
        }
        bytesRead += bytes;
    }

    /** Throws when a tensor of {@code elements} elements is larger than the per-tensor limit. */
    void checkElements(long elements, String what, String shape) {
        if (elements > options.maxTensorElements()) {
            throw new ModelLoadException(what + ": shape " + shape + " has " + elements + " elements, more than the"
                    + " limit maxTensorElements = " + options.maxTensorElements());
        }
    }
}
