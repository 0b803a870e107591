package dev.sprig.core;

import java.util.Arrays;

/**
 * An immutable tensor shape: non-negative dimensions, row-major. A rank-0 shape is a scalar
 * with one element. Element counts are checked for overflow: a Java array holds at most
 * {@link Integer#MAX_VALUE} - 8 elements, and a shape that needs more is rejected when built.
 */
public final class Shape {

    /** Largest element count a Java array can hold on HotSpot. */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private static final Shape SCALAR = new Shape(new int[0]);

    private final int[] dims;
    private final int size;

    private Shape(int[] dims) {
        long n = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new IllegalArgumentException("dimension " + i + " of shape " + Arrays.toString(dims)
                        + " is negative");
            }
            n *= dims[i];
            if (n > MAX_ELEMENTS) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has more than "
                        + MAX_ELEMENTS + " elements");
            }
        }
        this.dims = dims;
        this.size = (int) n;
    }

    /** A shape with the given dimensions (copied). */
    public static Shape of(int... dims) {
        return dims.length == 0 ? SCALAR : new Shape(dims.clone());
    }

    /** A shape from ONNX's int64 dimensions, rejecting any that do not fit an int. */
    public static Shape ofLongs(long... dims) {
        int[] d = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0 || dims[i] > MAX_ELEMENTS) {
                throw new IllegalArgumentException("dimension " + i + " of shape " + Arrays.toString(dims)
                        + " is out of range [0, " + MAX_ELEMENTS + "]");
            }
            d[i] = (int) dims[i];
        }
        return of(d);
    }

    /** The rank-0 shape. */
    public static Shape scalar() {
        return SCALAR;
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** Dimension {@code axis}; negative axes count from the end, as in ONNX. */
    public int dim(int axis) {
        return dims[normalizeAxis(axis)];
    }

    /** A copy of the dimensions. */
    public int[] dims() {
        return dims.clone();
    }

    /** Number of elements (1 for a scalar). */
    public int size() {
        return size;
    }

    /** The axis in [0, rank) for an ONNX axis in [-rank, rank). */
    public int normalizeAxis(int axis) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for rank " + dims.length
                    + " shape " + this);
        }
        return a;
    }

    /** Row-major strides, in elements, of a contiguous tensor of this shape. */
    public int[] contiguousStrides() {
        int[] strides = new int[dims.length];
        int s = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= dims[i];
        }
        return strides;
    }

    /**
     * The shape of the result of numpy/ONNX multidirectional broadcasting: shapes are aligned on
     * their last axis, missing leading axes count as 1, and on each axis the dimensions must be
     * equal or one of them 1.
     *
     * @throws IllegalArgumentException naming both shapes and the axis when they do not broadcast
     */
    public static Shape broadcast(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = a.alignedDim(i, rank);
            int db = b.alignedDim(i, rank);
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("shapes " + a + " and " + b + " do not broadcast: axis " + i
                        + " of the result has " + da + " vs " + db + " (each must be equal or 1)");
            }
            out[i] = da == 1 ? db : da;
        }
        return of(out);
    }

    /** Dimension {@code i} of this shape left-padded with 1s to {@code rank} axes. */
    public int alignedDim(int i, int rank) {
        int j = i - (rank - dims.length);
        return j < 0 ? 1 : dims[j];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** Dimensions joined by 'x' in brackets, e.g. {@code [1x3x224x224]}; {@code []} for a scalar. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : "x").append(dims[i]);
        }
        return sb.append(']').toString();
    }
}
