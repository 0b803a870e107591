package dev.sprig.core.graph;

import dev.sprig.core.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One attribute of a {@link Node}: a name, a kind and a value. The value's Java type follows the
 * kind: {@code Float} (FLOAT), {@code Long} (INT), {@code String} (STRING), {@link Tensor}
 * (TENSOR), {@code float[]} (FLOATS), {@code long[]} (INTS), {@code List<String>} (STRINGS),
 * {@code List<Tensor>} (TENSORS). Graph-valued attributes (control flow) are not supported and
 * are rejected by the importer.
 */
public record Attribute(String name, Kind kind, Object value) {

    /** The attribute kinds Sprig reads (ONNX {@code AttributeProto.AttributeType}). */
    public enum Kind { FLOAT, INT, STRING, TENSOR, FLOATS, INTS, STRINGS, TENSORS }

    /** Checks that the value's Java type matches the kind. */
    public Attribute {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        Class<?> expected = switch (kind) {
            case FLOAT -> Float.class;
            case INT -> Long.class;
            case STRING -> String.class;
            case TENSOR -> Tensor.class;
            case FLOATS -> float[].class;
            case INTS -> long[].class;
            case STRINGS, TENSORS -> List.class;
        };
        if (!expected.isInstance(value)) {
            throw new IllegalArgumentException("attribute '" + name + "' of kind " + kind + " needs a "
                    + expected.getSimpleName() + ", got " + value.getClass().getSimpleName());
        }
    }

    /** A FLOAT attribute. */
    public static Attribute of(String name, float value) {
        return new Attribute(name, Kind.FLOAT, value);
    }

    /** An INT attribute. */
    public static Attribute of(String name, long value) {
        return new Attribute(name, Kind.INT, value);
    }

    /** A STRING attribute. */
    public static Attribute of(String name, String value) {
        return new Attribute(name, Kind.STRING, value);
    }

    /** A TENSOR attribute. */
    public static Attribute of(String name, Tensor value) {
        return new Attribute(name, Kind.TENSOR, value);
    }

    /** A FLOATS attribute (the array is not copied). */
    public static Attribute of(String name, float[] value) {
        return new Attribute(name, Kind.FLOATS, value);
    }

    /** An INTS attribute (the array is not copied). */
    public static Attribute of(String name, long[] value) {
        return new Attribute(name, Kind.INTS, value);
    }

    @Override
    public String toString() {
        String v = switch (kind) {
            case FLOATS -> Arrays.toString((float[]) value);
            case INTS -> Arrays.toString((long[]) value);
            default -> String.valueOf(value);
        };
        return name + "=" + v;
    }
}
