package dev.sprig.spark;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Copies one row's input value into a run's float buffer: an {@code array<float>} value (as
 * Spark hands it to a {@code Row}: a Scala {@code ArraySeq} over a float[] or over boxed floats, or
 * any Scala or Java sequence) or a {@code binary} value holding the row's float32 values in
 * little-endian byte order (numpy's {@code tobytes()} on x86 and ARM).
 */
final class InputDecoder {

    private final String column;
    private final String modelInput;
    private final int elements;

    /**
     * @param column     the Dataset column, named in errors
     * @param modelInput the model input it feeds, named in errors
     * @param elements   floats per row
     */
    InputDecoder(String column, String modelInput, int elements) {
        this.column = column;
        this.modelInput = modelInput;
        this.elements = elements;
    }

    /**
     * Copies {@code value}'s floats into {@code out} from {@code offset}.
     *
     * @throws IllegalArgumentException when the value does not hold exactly one row of floats
     */
    void decode(Object value, float[] out, int offset) {
        switch (value) {
            case byte[] bytes -> bytes(bytes, out, offset);
            case float[] f -> {
                checkLength(f.length);
                System.arraycopy(f, 0, out, offset, elements);
            }
            case scala.collection.mutable.ArraySeq<?> seq when seq.array() instanceof float[] f -> {
                checkLength(f.length);
                System.arraycopy(f, 0, out, offset, elements);
            }
            case scala.collection.mutable.ArraySeq<?> seq when seq.array() instanceof Object[] boxed -> {
                checkLength(boxed.length);
                for (int i = 0; i < elements; i++) {
                    out[offset + i] = unbox(boxed[i], i);
                }
            }
            case scala.collection.Seq<?> seq -> {
                checkLength(seq.length());
                scala.collection.Iterator<?> it = seq.iterator();
                for (int i = 0; i < elements; i++) {
                    out[offset + i] = unbox(it.next(), i);
                }
            }
            case List<?> list -> {
                checkLength(list.size());
                for (int i = 0; i < elements; i++) {
                    out[offset + i] = unbox(list.get(i), i);
                }
            }
            default -> throw new IllegalArgumentException("column '" + column + "' holds a "
                    + value.getClass().getName() + "; SprigInference reads array<float> or binary");
        }
    }

    private void bytes(byte[] bytes, float[] out, int offset) {
        if (bytes.length != (long) elements * Float.BYTES) {
            throw new IllegalArgumentException("column '" + column + "' has a binary value of " + bytes.length
                    + " bytes; the model input " + modelInput + " takes " + elements + " float32 values per row = "
                    + (long) elements * Float.BYTES + " bytes (little-endian)");
        }
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out, offset, elements);
    }

    private void checkLength(int length) {
        if (length != elements) {
            throw new IllegalArgumentException("column '" + column + "' has an array of " + length
                    + " floats; the model input " + modelInput + " takes " + elements + " per row");
        }
    }

    private float unbox(Object element, int index) {
        if (element instanceof Float f) {
            return f;
        }
        throw new IllegalArgumentException("column '" + column + "' has " + (element == null ? "null"
                : "a " + element.getClass().getSimpleName()) + " at index " + index
                + " of an array; SprigInference needs non-null floats");
    }
}
