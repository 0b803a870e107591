package dev.sprig.kernels;

/**
 * The elementwise binary arithmetic operators the kernels implement. Each is IEEE-754 single
 * precision, one rounding per element, so the scalar and vector kernels agree bitwise.
 */
public enum BinaryOp {
    ADD, SUB, MUL, DIV;

    /** The operator applied to one pair of elements: the definition both backends follow. */
    public float apply(float a, float b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
        };
    }
}
