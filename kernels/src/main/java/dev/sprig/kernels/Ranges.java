package dev.sprig.kernels;

import java.util.Objects;

/**
 * Range checks every kernel makes once, up front, so a bad offset or length fails with a clear
 * message before any element is written (never half an output).
 */
public final class Ranges {

    private Ranges() {
    }

    /** Checks that {@code [off, off + n)} lies inside {@code length}; n = 0 accepts any off in [0, length]. */
    public static void check(String name, int off, int n, int length) {
        if (n < 0 || off < 0 || off > length - n) {
            throw new IndexOutOfBoundsException(
                    name + ": range [" + off + ", " + off + " + " + n + ") is out of bounds for length " + length);
        }
    }

    /** Checks a strided operand of a broadcasting kernel: stride 1 spans n elements, stride 0 one. */
    public static void checkStrided(String name, int off, int stride, int n, int length) {
        if (stride != 0 && stride != 1) {
            throw new IllegalArgumentException(name + ": stride must be 0 (broadcast) or 1 (contiguous), got " + stride);
        }
        check(name, off, stride == 0 ? Math.min(n, 1) : n, length);
    }

    /** Checks a row-major matrix operand: {@code rows} rows of {@code cols} elements, {@code ld} apart. */
    public static void checkMatrix(String name, int off, int rows, int cols, int ld, int length) {
        Objects.requireNonNull(name);
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException(name + ": dimensions must be >= 0, got " + rows + "x" + cols);
        }
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException(
                    name + ": leading dimension " + ld + " is smaller than the row length " + cols);
        }
        if (rows == 0 || cols == 0) {
            check(name, off, 0, length);
            return;
        }
        long last = (long) off + (long) (rows - 1) * ld + cols;
        if (off < 0 || last > length) {
            throw new IndexOutOfBoundsException(name + ": " + rows + "x" + cols + " matrix at offset " + off
                    + " with leading dimension " + ld + " needs " + last + " elements, array has " + length);
        }
    }
}
