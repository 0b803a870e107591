package dev.sprig.core.ops.elementwise;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * The input type constraints of the elementwise operators (the ONNX {@code T} lists, restricted
 * to the types Sprig has) and the run-time checks that name the op, opset, input, expected and
 * actual type.
 */
final class TypeRules {

    private TypeRules() {
    }

    static final Set<DType> FLOAT = Collections.unmodifiableSet(EnumSet.of(DType.FLOAT));
    static final Set<DType> BOOL = Collections.unmodifiableSet(EnumSet.of(DType.BOOL));
    /** FLOAT and the 32/64-bit signed integers: arithmetic before opset 14 added the 8-bit types. */
    static final Set<DType> FLOAT_INT32_INT64 =
            Collections.unmodifiableSet(EnumSet.of(DType.FLOAT, DType.INT32, DType.INT64));
    /** Every numeric type Sprig has. */
    static final Set<DType> NUMERIC = Collections.unmodifiableSet(
            EnumSet.of(DType.FLOAT, DType.UINT8, DType.INT8, DType.INT32, DType.INT64));
    /** Numeric types with a sign (Neg, Relu-14). */
    static final Set<DType> SIGNED = Collections.unmodifiableSet(
            EnumSet.of(DType.FLOAT, DType.INT8, DType.INT32, DType.INT64));
    /** Every type Sprig has. */
    static final Set<DType> ALL = Collections.unmodifiableSet(EnumSet.allOf(DType.class));

    /**
     * {@code inputs[index]}, checked present and of an allowed type.
     *
     * @throws IllegalArgumentException naming op, opset, input, allowed and actual type
     */
    static Tensor input(String op, int opset, Tensor[] inputs, int index, String name, Set<DType> allowed) {
        if (index >= inputs.length || inputs[index] == null) {
            throw new IllegalArgumentException(op + " (opset " + opset + ") input " + index + " '" + name
                    + "' is required but missing");
        }
        Tensor t = inputs[index];
        if (!allowed.contains(t.dtype())) {
            throw new IllegalArgumentException(op + " (opset " + opset + ") input '" + name + "' must be one of "
                    + allowed + ", got " + t.dtype() + " " + t.shape());
        }
        return t;
    }

    /** Checks that {@code b} has {@code a}'s type (the ONNX ops sharing one {@code T}). */
    static void requireSameType(String op, String aName, Tensor a, String bName, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + " inputs '" + aName + "' and '" + bName
                    + "' must have the same type, got " + a.dtype() + " " + a.shape() + " and " + b.dtype()
                    + " " + b.shape());
        }
    }
}
