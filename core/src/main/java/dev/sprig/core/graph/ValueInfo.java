package dev.sprig.core.graph;

import dev.sprig.core.DType;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A declared graph value: its name, element type and shape as the model states them. The type is
 * null when the model does not give it, the shape is null when the rank is unknown, and a
 * dimension may be symbolic ({@code batch_size}) or unknown.
 */
public record ValueInfo(String name, DType type, List<Dim> shape) {

    /** One declared dimension: a fixed size, a named symbol, or unknown (neither). */
    public record Dim(long value, String symbol) {

        /** A fixed dimension. */
        public static Dim of(long value) {
            return new Dim(value, null);
        }

        /** A symbolic dimension (its name may be null or empty for a fully unknown one). */
        public static Dim symbolic(String symbol) {
            return new Dim(-1, symbol);
        }

        /** True when the model fixes this dimension's size. */
        public boolean isFixed() {
            return value >= 0;
        }

        @Override
        public String toString() {
            return isFixed() ? Long.toString(value) : symbol == null || symbol.isEmpty() ? "?" : symbol;
        }
    }

    /** Immutable copy of the shape. */
    public ValueInfo {
        shape = shape == null ? null : List.copyOf(shape);
    }

    /** e.g. {@code input:FLOAT[batch,3,224,224]}. */
    @Override
    public String toString() {
        String dims = shape == null ? "[?]"
                : shape.stream().map(Dim::toString).collect(Collectors.joining(",", "[", "]"));
        return name + ":" + (type == null ? "?" : type) + dims;
    }
}
