package dev.sprig.core;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An n-dimensional array: a {@link DType}, an immutable {@link Shape}, strides, and a view into a
 * primitive array starting at an offset. Tensors made by the factories are contiguous row-major
 * (NCHW for images); {@link #permute} and {@link #reshape} make views that share the storage.
 *
 * <p>The element values are mutable through the backing array (kernels write into it); the shape,
 * strides and storage reference are not.
 */
public final class Tensor {

    private static final int SHOWN_VALUES = 8;

    private final DType dtype;
    private final Shape shape;
    private final int[] strides;
    private final Object data;
    private final int offset;

    private Tensor(DType dtype, Shape shape, int[] strides, Object data, int offset) {
        this.dtype = dtype;
        this.shape = shape;
        this.strides = strides;
        this.data = data;
        this.offset = offset;
    }

    /** A contiguous tensor over {@code data} (not copied), whose length must equal the shape's size. */
    public static Tensor wrap(DType dtype, Object data, Shape shape) {
        Objects.requireNonNull(data, "data");
        if (!dtype.storage().isInstance(data)) {
            throw new IllegalArgumentException(dtype + " tensor needs a " + dtype.storage().getSimpleName()
                    + ", got " + data.getClass().getSimpleName());
        }
        int length = dtype.length(data);
        if (length != shape.size()) {
            throw new IllegalArgumentException(dtype + " tensor of shape " + shape + " needs " + shape.size()
                    + " elements, the array has " + length);
        }
        return new Tensor(dtype, shape, shape.contiguousStrides(), data, 0);
    }

    /** A FLOAT tensor over {@code data} (not copied). */
    public static Tensor of(float[] data, int... dims) {
        return wrap(DType.FLOAT, data, Shape.of(dims));
    }

    /** An INT64 tensor over {@code data} (not copied). */
    public static Tensor of(long[] data, int... dims) {
        return wrap(DType.INT64, data, Shape.of(dims));
    }

    /** An INT32 tensor over {@code data} (not copied). */
    public static Tensor of(int[] data, int... dims) {
        return wrap(DType.INT32, data, Shape.of(dims));
    }

    /** A BOOL tensor over {@code data} (not copied). */
    public static Tensor of(boolean[] data, int... dims) {
        return wrap(DType.BOOL, data, Shape.of(dims));
    }

    /** An INT8 tensor over {@code data} (not copied). */
    public static Tensor ofInt8(byte[] data, int... dims) {
        return wrap(DType.INT8, data, Shape.of(dims));
    }

    /** A UINT8 tensor over {@code data} (not copied); values are {@code data[i] & 0xFF}. */
    public static Tensor ofUint8(byte[] data, int... dims) {
        return wrap(DType.UINT8, data, Shape.of(dims));
    }

    /** A rank-0 FLOAT tensor. */
    public static Tensor scalar(float value) {
        return wrap(DType.FLOAT, new float[]{value}, Shape.scalar());
    }

    /** A zero-filled contiguous tensor. */
    public static Tensor zeros(DType dtype, Shape shape) {
        return new Tensor(dtype, shape, shape.contiguousStrides(), dtype.allocate(shape.size()), 0);
    }

    /**
     * {@code parts} joined along axis 0, as a new contiguous tensor: how a batch is made of requests
     * or samples.
     *
     * @throws IllegalArgumentException when there are no parts, or they differ in dtype, rank or a
     *                                  dimension after the first
     */
    public static Tensor concatRows(List<Tensor> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("concatRows needs at least one tensor");
        }
        Tensor first = parts.get(0);
        int[] dims = first.shape().dims();
        if (dims.length == 0) {
            throw new IllegalArgumentException("concatRows: a scalar has no axis 0");
        }
        int rows = 0;
        for (Tensor p : parts) {
            int[] d = p.shape().dims();
            if (p.dtype() != first.dtype() || d.length != dims.length
                    || !Arrays.equals(d, 1, d.length, dims, 1, dims.length)) {
                throw new IllegalArgumentException("concatRows: " + p.dtype() + " " + p.shape() + " does not join "
                        + first.dtype() + " " + first.shape() + " along axis 0");
            }
            rows += d[0];
        }
        dims[0] = rows;
        Tensor out = zeros(first.dtype(), Shape.of(dims));
        int at = 0;
        for (Tensor p : parts) {
            Tensor c = p.contiguous();
            System.arraycopy(c.array(), c.offset(), out.array(), at, c.size());
            at += c.size();
        }
        return out;
    }

    /** The element type. */
    public DType dtype() {
        return dtype;
    }

    /** The dimensions (immutable). */
    public Shape shape() {
        return shape;
    }

    /** Number of elements. */
    public int size() {
        return shape.size();
    }

    /** Strides in elements, one per axis (a copy). */
    public int[] strides() {
        return strides.clone();
    }

    /** Index of the first element in the backing array. */
    public int offset() {
        return offset;
    }

    /** True when the elements are row-major and adjacent: the backing array from offset, in order. */
    public boolean isContiguous() {
        return Arrays.equals(strides, shape.contiguousStrides()) || shape.size() <= 1;
    }

    /**
     * The backing array whatever the dtype ({@link DType#storage()}: float[], byte[], int[], long[] or
     * boolean[]; shared, not copied), for dtype-generic data movement such as {@link System#arraycopy}.
     */
    public Object array() {
        return data;
    }

    /** The backing array of a FLOAT tensor (shared, not copied); read it with {@link #offset} and {@link #strides}. */
    public float[] floatData() {
        requireType(DType.FLOAT);
        return (float[]) data;
    }

    /** The backing array of an INT8 or UINT8 tensor (shared). */
    public byte[] byteData() {
        if (dtype != DType.INT8 && dtype != DType.UINT8) {
            throw new IllegalStateException("byteData() needs an INT8 or UINT8 tensor, this one is " + dtype);
        }
        return (byte[]) data;
    }

    /** The backing array of an INT32 tensor (shared). */
    public int[] intData() {
        requireType(DType.INT32);
        return (int[]) data;
    }

    /** The backing array of an INT64 tensor (shared). */
    public long[] longData() {
        requireType(DType.INT64);
        return (long[]) data;
    }

    /** The backing array of a BOOL tensor (shared). */
    public boolean[] booleanData() {
        requireType(DType.BOOL);
        return (boolean[]) data;
    }

    /** Element at {@code index} of a FLOAT tensor. */
    public float getFloat(int... index) {
        return floatData()[position(index)];
    }

    /** Element at {@code index} of an integer tensor (INT8, UINT8, INT32, INT64) as a long. */
    public long getLong(int... index) {
        int p = position(index);
        return switch (dtype) {
            case INT8 -> ((byte[]) data)[p];
            case UINT8 -> ((byte[]) data)[p] & 0xFF;
            case INT32 -> ((int[]) data)[p];
            case INT64 -> ((long[]) data)[p];
            default -> throw new IllegalStateException("getLong needs an integer tensor, this one is " + dtype);
        };
    }

    /** Element at {@code index} of a BOOL tensor. */
    public boolean getBoolean(int... index) {
        return booleanData()[position(index)];
    }

    /** Element at {@code index} of any tensor as a double (BOOL as 0 or 1): for tests and printing. */
    public double getDouble(int... index) {
        int p = position(index);
        return elementAsDouble(p);
    }

    /** Writes element {@code index} of a FLOAT tensor. */
    public void setFloat(float value, int... index) {
        floatData()[position(index)] = value;
    }

    /** All elements in row-major order as doubles, following the strides. */
    public double[] toDoubleArray() {
        double[] out = new double[size()];
        int[] idx = new int[shape.rank()];
        for (int i = 0; i < out.length; i++) {
            out[i] = elementAsDouble(positionOf(idx));
            increment(idx);
        }
        return out;
    }

    // Java arrays in and out. The nested factories copy (a float[][] is not one block of memory);
    // the flat factories above wrap without copying.

    /**
     * A FLOAT tensor of shape {@code [d0, d1]} copied from a rectangular {@code float[d0][d1]}.
     *
     * @throws IllegalArgumentException when a row is null or its length differs from row 0's, or
     *                                  when {@code d0} is 0 (the row length would be unknown)
     */
    public static Tensor of(float[][] data) {
        return fromNested(DType.FLOAT, "float", data, 2);
    }

    /**
     * A FLOAT tensor of shape {@code [d0, d1, d2]} copied from a rectangular {@code float[d0][d1][d2]};
     * see {@link #of(float[][])}.
     */
    public static Tensor of(float[][][] data) {
        return fromNested(DType.FLOAT, "float", data, 3);
    }

    /**
     * A FLOAT tensor of shape {@code [d0, d1, d2, d3]} copied from a rectangular
     * {@code float[d0][d1][d2][d3]}, e.g. a batch of NCHW images; see {@link #of(float[][])}.
     */
    public static Tensor of(float[][][][] data) {
        return fromNested(DType.FLOAT, "float", data, 4);
    }

    /**
     * An INT64 tensor of shape {@code [d0, d1]} copied from a rectangular {@code long[d0][d1]} (e.g. token
     * ids); see {@link #of(float[][])}.
     */
    public static Tensor of(long[][] data) {
        return fromNested(DType.INT64, "long", data, 2);
    }

    /**
     * An INT32 tensor of shape {@code [d0, d1]} copied from a rectangular {@code int[d0][d1]}; see
     * {@link #of(float[][])}.
     */
    public static Tensor of(int[][] data) {
        return fromNested(DType.INT32, "int", data, 2);
    }

    /**
     * The elements of a FLOAT tensor in row-major order, in a new array (a view is read through its
     * strides, so a permuted tensor gives its own order, not the storage's).
     *
     * @throws IllegalStateException when the tensor is not FLOAT
     */
    public float[] toFloatArray() {
        requireDType("toFloatArray()", DType.FLOAT);
        return (float[]) copyOfElements();
    }

    /**
     * The elements of an integer tensor in row-major order as longs, in a new array: INT64 as is,
     * INT8, UINT8 (0..255) and INT32 widened without loss, as {@link #getLong} reads them.
     *
     * @throws IllegalStateException when the tensor is FLOAT or BOOL
     */
    public long[] toLongArray() {
        if (dtype == DType.INT64) {
            return (long[]) copyOfElements();
        }
        if (dtype == DType.FLOAT || dtype == DType.BOOL) {
            throw new IllegalStateException("toLongArray() needs an integer tensor (INT8, UINT8, INT32 or INT64), "
                    + "this one is " + dtype + " " + shape + "; toDoubleArray() reads any type");
        }
        long[] out = new long[size()];
        int[] idx = new int[shape.rank()];
        for (int i = 0; i < out.length; i++) {
            // INT8, UINT8 and INT32 values are exact in a double
            out[i] = (long) elementAsDouble(positionOf(idx));
            increment(idx);
        }
        return out;
    }

    /**
     * The elements of an INT32 tensor in row-major order, in a new array; throws
     * {@link IllegalStateException} for another type.
     */
    public int[] toIntArray() {
        requireDType("toIntArray()", DType.INT32);
        return (int[]) copyOfElements();
    }

    /**
     * The elements of a BOOL tensor in row-major order, in a new array; throws
     * {@link IllegalStateException} for another type.
     */
    public boolean[] toBooleanArray() {
        requireDType("toBooleanArray()", DType.BOOL);
        return (boolean[]) copyOfElements();
    }

    /**
     * The stored bytes of an INT8 or UINT8 tensor in row-major order, in a new array (a UINT8 value
     * is {@code b & 0xFF}); throws {@link IllegalStateException} for another type.
     */
    public byte[] toByteArray() {
        if (dtype != DType.INT8 && dtype != DType.UINT8) {
            throw new IllegalStateException("toByteArray() needs an INT8 or UINT8 tensor, this one is " + dtype + " "
                    + shape + "; toDoubleArray() reads any type");
        }
        return (byte[]) copyOfElements();
    }

    private void requireDType(String method, DType expected) {
        if (dtype != expected) {
            throw new IllegalStateException(method + " needs a " + expected + " tensor, this one is " + dtype + " "
                    + shape + "; toDoubleArray() reads any type");
        }
    }

    private Object copyOfElements() {
        Tensor c = contiguous();
        if (c != this) {
            return c.data; // contiguous() already made a fresh array of exactly size() elements
        }
        Object out = dtype.allocate(size());
        if (size() > 0) {
            System.arraycopy(data, offset, out, 0, size());
        }
        return out;
    }

    private static Tensor fromNested(DType dtype, String elementType, Object data, int rank) {
        Objects.requireNonNull(data, "data");
        String type = elementType + "[]".repeat(rank);
        int[] dims = new int[rank];
        Object first = data;
        // the dimensions are read along data[0][0]...; every other row is checked against them while copying
        for (int axis = 0; axis < rank; axis++) {
            if (first == null) {
                throw new IllegalArgumentException(type + " has a null row: " + element(new int[rank], axis)
                        + " is null");
            }
            dims[axis] = java.lang.reflect.Array.getLength(first);
            if (axis < rank - 1) {
                if (dims[axis] == 0) {
                    throw new IllegalArgumentException(type + " has length 0 on axis " + axis + " ("
                            + element(new int[rank], axis) + "), so the lengths under it are unknown; for an empty "
                            + "tensor use Tensor.of(" + elementType + "[], dims...) with the shape you mean");
                }
                first = java.lang.reflect.Array.get(first, 0);
            }
        }
        Tensor t = zeros(dtype, Shape.of(dims));
        copyNested(data, 0, dims, new int[rank], t.data, 0, type);
        return t;
    }

    /** Copies the rows under {@code array} (at {@code index}, {@code axis} deep) into {@code flat} from {@code pos}. */
    private static int copyNested(Object array, int axis, int[] dims, int[] index, Object flat, int pos, String type) {
        if (array == null) {
            throw new IllegalArgumentException(type + " has a null row: " + element(index, axis) + " is null");
        }
        int length = java.lang.reflect.Array.getLength(array);
        if (length != dims[axis]) {
            throw new IllegalArgumentException(type + " is not rectangular: " + element(index, axis) + " has length "
                    + length + ", expected " + dims[axis] + " like " + element(new int[axis], axis));
        }
        if (axis == dims.length - 1) {
            System.arraycopy(array, 0, flat, pos, length);
            return pos + length;
        }
        for (int i = 0; i < length; i++) {
            index[axis] = i;
            pos = copyNested(java.lang.reflect.Array.get(array, i), axis + 1, dims, index, flat, pos, type);
        }
        return pos;
    }

    /** {@code data[i0][i1]...} for the first {@code depth} coordinates of {@code index}. */
    private static String element(int[] index, int depth) {
        StringBuilder sb = new StringBuilder("data");
        for (int i = 0; i < depth; i++) {
            sb.append('[').append(index[i]).append(']');
        }
        return sb.toString();
    }

    /** A view with the same elements in another shape of the same size; needs a contiguous tensor. */
    public Tensor reshape(int... dims) {
        Shape s = Shape.of(dims);
        if (s.size() != size()) {
            throw new IllegalArgumentException("cannot reshape " + shape + " (" + size() + " elements) to " + s
                    + " (" + s.size() + " elements)");
        }
        if (!isContiguous()) {
            throw new IllegalStateException("reshape needs a contiguous tensor; call contiguous() first");
        }
        return new Tensor(dtype, s, s.contiguousStrides(), data, offset);
    }

    /** A view with the axes reordered: axis i of the result is axis {@code axes[i]} of this tensor. */
    public Tensor permute(int... axes) {
        int rank = shape.rank();
        if (axes.length != rank) {
            throw new IllegalArgumentException("permute needs " + rank + " axes, got " + Arrays.toString(axes));
        }
        int[] dims = new int[rank];
        int[] st = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            int a = shape.normalizeAxis(axes[i]);
            if (seen[a]) {
                throw new IllegalArgumentException("permute axes " + Arrays.toString(axes) + " repeat axis " + a);
            }
            seen[a] = true;
            dims[i] = shape.dim(a);
            st[i] = strides[a];
        }
        return new Tensor(dtype, Shape.of(dims), st, data, offset);
    }

    /** This tensor when contiguous, else a contiguous copy. */
    public Tensor contiguous() {
        if (isContiguous()) {
            return this;
        }
        Tensor out = zeros(dtype, shape);
        int[] idx = new int[shape.rank()];
        for (int i = 0; i < size(); i++) {
            System.arraycopy(data, positionOf(idx), out.data, i, 1);
            increment(idx);
        }
        return out;
    }

    /** Shape, dtype and the first few values, e.g. {@code Tensor[FLOAT [2x3]]{1.0, 2.0, ...}}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor[").append(dtype).append(' ').append(shape).append("]{");
        int[] idx = new int[shape.rank()];
        int shown = Math.min(SHOWN_VALUES, size());
        for (int i = 0; i < shown; i++) {
            int p = positionOf(idx);
            sb.append(i == 0 ? "" : ", ");
            switch (dtype) {
                case FLOAT -> sb.append(((float[]) data)[p]);
                case BOOL -> sb.append(((boolean[]) data)[p]);
                default -> sb.append((long) elementAsDouble(p));
            }
            increment(idx);
        }
        return sb.append(size() > shown ? ", ...}" : "}").toString();
    }

    private double elementAsDouble(int p) {
        return switch (dtype) {
            case FLOAT -> ((float[]) data)[p];
            case INT8 -> ((byte[]) data)[p];
            case UINT8 -> ((byte[]) data)[p] & 0xFF;
            case INT32 -> ((int[]) data)[p];
            case INT64 -> ((long[]) data)[p];
            case BOOL -> ((boolean[]) data)[p] ? 1 : 0;
        };
    }

    private int position(int[] index) {
        if (index.length != shape.rank()) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " has " + index.length
                    + " coordinates, tensor " + shape + " has rank " + shape.rank());
        }
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape.dim(i)) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " is outside shape " + shape
                        + " on axis " + i);
            }
        }
        return positionOf(index);
    }

    private int positionOf(int[] index) {
        int p = offset;
        for (int i = 0; i < index.length; i++) {
            p += index[i] * strides[i];
        }
        return p;
    }

    private void increment(int[] idx) {
        for (int axis = idx.length - 1; axis >= 0; axis--) {
            if (++idx[axis] < shape.dim(axis)) {
                return;
            }
            idx[axis] = 0;
        }
    }

    private void requireType(DType expected) {
        if (dtype != expected) {
            throw new IllegalStateException("expected a " + expected + " tensor, this one is " + dtype);
        }
    }
}
