package dev.sprig.core.ops.shape;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;

/**
 * Dtype-generic element movement for the shape operators. Every dtype's storage is a primitive
 * array, so contiguous runs move with {@link System#arraycopy} whatever the type; only strided
 * runs need one loop per storage class, and they are all here.
 */
final class Elements {

    private Elements() {
    }

    /** Copies {@code n} elements read {@code srcStride} apart (any sign, 0 repeats one) into a contiguous run. */
    static void copyStrided(Object src, int srcPos, int srcStride, Object dst, int dstPos, int n) {
        if (srcStride == 1) {
            System.arraycopy(src, srcPos, dst, dstPos, n);
            return;
        }
        switch (src) {
            case float[] s -> {
                float[] d = (float[]) dst;
                for (int i = 0; i < n; i++, srcPos += srcStride) {
                    d[dstPos + i] = s[srcPos];
                }
            }
            case byte[] s -> {
                byte[] d = (byte[]) dst;
                for (int i = 0; i < n; i++, srcPos += srcStride) {
                    d[dstPos + i] = s[srcPos];
                }
            }
            case int[] s -> {
                int[] d = (int[]) dst;
                for (int i = 0; i < n; i++, srcPos += srcStride) {
                    d[dstPos + i] = s[srcPos];
                }
            }
            case long[] s -> {
                long[] d = (long[]) dst;
                for (int i = 0; i < n; i++, srcPos += srcStride) {
                    d[dstPos + i] = s[srcPos];
                }
            }
            case boolean[] s -> {
                boolean[] d = (boolean[]) dst;
                for (int i = 0; i < n; i++, srcPos += srcStride) {
                    d[dstPos + i] = s[srcPos];
                }
            }
            default -> throw new IllegalStateException("not a tensor storage array: " + src.getClass());
        }
    }

    /** {@code dst[dstPos + i] = src[srcBase + index[i]]} for every i: a gather along one row. */
    static void gather(Object src, int srcBase, int[] index, Object dst, int dstPos) {
        int n = index.length;
        switch (src) {
            case float[] s -> {
                float[] d = (float[]) dst;
                for (int i = 0; i < n; i++) {
                    d[dstPos + i] = s[srcBase + index[i]];
                }
            }
            case byte[] s -> {
                byte[] d = (byte[]) dst;
                for (int i = 0; i < n; i++) {
                    d[dstPos + i] = s[srcBase + index[i]];
                }
            }
            case int[] s -> {
                int[] d = (int[]) dst;
                for (int i = 0; i < n; i++) {
                    d[dstPos + i] = s[srcBase + index[i]];
                }
            }
            case long[] s -> {
                long[] d = (long[]) dst;
                for (int i = 0; i < n; i++) {
                    d[dstPos + i] = s[srcBase + index[i]];
                }
            }
            case boolean[] s -> {
                boolean[] d = (boolean[]) dst;
                for (int i = 0; i < n; i++) {
                    d[dstPos + i] = s[srcBase + index[i]];
                }
            }
            default -> throw new IllegalStateException("not a tensor storage array: " + src.getClass());
        }
    }

    /**
     * Fills {@code dst[pos, pos + n)} with element {@code valuePos} of {@code value} (an array of the
     * same storage class): one element copied, then the filled prefix doubled until the run is full.
     */
    static void fill(Object dst, int pos, int n, Object value, int valuePos) {
        if (n <= 0) {
            return;
        }
        System.arraycopy(value, valuePos, dst, pos, 1);
        for (int filled = 1; filled < n; filled *= 2) {
            System.arraycopy(dst, pos, dst, pos + filled, Math.min(filled, n - filled));
        }
    }

    /** A one-element array of {@code dtype} holding {@code value} converted as a cast would (BOOL: non-zero). */
    static Object scalarArray(DType dtype, double value) {
        return switch (dtype) {
            case FLOAT -> new float[]{(float) value};
            case UINT8, INT8 -> new byte[]{(byte) (long) value};
            case INT32 -> new int[]{(int) (long) value};
            case INT64 -> new long[]{(long) value};
            case BOOL -> new boolean[]{value != 0};
        };
    }

    /**
     * The values of an INT64 or INT32 tensor (an ONNX shape, axes or index list) in row-major
     * order; {@code what} names it in the error for any other dtype.
     */
    static long[] longs(Tensor t, String what) {
        Tensor c = t.contiguous();
        long[] out = new long[c.size()];
        switch (c.dtype()) {
            case INT64 -> System.arraycopy(c.longData(), c.offset(), out, 0, out.length);
            case INT32 -> {
                int[] d = c.intData();
                for (int i = 0; i < out.length; i++) {
                    out[i] = d[c.offset() + i];
                }
            }
            default -> throw new IllegalArgumentException(what + " must be an INT64 (or INT32) tensor, got "
                    + t.dtype() + " " + t.shape());
        }
        return out;
    }

    /** {@link #longs} of a 1-D (or scalar) tensor, rejecting higher ranks. */
    static long[] longList(Tensor t, String what) {
        if (t.shape().rank() > 1) {
            throw new IllegalArgumentException(what + " must be a 1-D tensor, got shape " + t.shape());
        }
        return longs(t, what);
    }

    /** A value of an ONNX int64 list that must fit an int (a dimension, repeat count, axis). */
    static int toInt(long v, String what) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " " + v + " does not fit a 32-bit int");
        }
        return (int) v;
    }

    /** The number of elements of a shape given as dims, or an error when it cannot be allocated. */
    static long product(int[] dims, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) {
            p *= dims[i];
        }
        return p;
    }

    /** The single element of a scalar or one-element tensor as a double (BOOL as 0/1). */
    static double scalarValue(Tensor t, String what) {
        if (t.size() != 1) {
            throw new IllegalArgumentException(what + " must hold one element, got shape " + t.shape());
        }
        return t.toDoubleArray()[0];
    }

    /** A one-element array of the tensor's storage class holding its single element. */
    static Object oneElement(Tensor t, String what) {
        if (t.size() != 1) {
            throw new IllegalArgumentException(what + " must hold one element, got shape " + t.shape());
        }
        Tensor c = t.contiguous();
        Object one = Tensor.zeros(t.dtype(), Shape.scalar()).array();
        System.arraycopy(c.array(), c.offset(), one, 0, 1);
        return one;
    }
}
