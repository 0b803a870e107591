package dev.sprig.core.ops.reduce;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;

/**
 * Integer and BOOL tensors as {@code long} values and back, so the reductions need one integer
 * loop for INT8, UINT8, INT32, INT64 and BOOL (false 0, true 1). Conversions back wrap, as a cast
 * in the element type would.
 */
final class IntegerData {

    private IntegerData() {
    }

    /** True for the types {@link #toLongs} reads. */
    static boolean isInteger(DType t) {
        return t == DType.INT8 || t == DType.UINT8 || t == DType.INT32 || t == DType.INT64 || t == DType.BOOL;
    }

    /** The elements of {@code t} in row-major order. */
    static long[] toLongs(Tensor t) {
        Tensor c = t.contiguous();
        long[] out = new long[c.size()];
        int o = c.offset();
        switch (c.dtype()) {
            case INT8 -> {
                byte[] d = c.byteData();
                for (int i = 0; i < out.length; i++) {
                    out[i] = d[o + i];
                }
            }
            case UINT8 -> {
                byte[] d = c.byteData();
                for (int i = 0; i < out.length; i++) {
                    out[i] = d[o + i] & 0xFF;
                }
            }
            case INT32 -> {
                int[] d = c.intData();
                for (int i = 0; i < out.length; i++) {
                    out[i] = d[o + i];
                }
            }
            case INT64 -> System.arraycopy(c.longData(), o, out, 0, out.length);
            case BOOL -> {
                boolean[] d = c.booleanData();
                for (int i = 0; i < out.length; i++) {
                    out[i] = d[o + i] ? 1 : 0;
                }
            }
            default -> throw new IllegalArgumentException("expected an integer or BOOL tensor, got " + c.dtype());
        }
        return out;
    }

    /** A tensor of {@code type} holding {@code values} (BOOL: non-zero is true). */
    static Tensor fromLongs(DType type, long[] values, Shape shape) {
        return switch (type) {
            case INT8, UINT8 -> {
                byte[] d = new byte[values.length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = (byte) values[i];
                }
                yield Tensor.wrap(type, d, shape);
            }
            case INT32 -> {
                int[] d = new int[values.length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = (int) values[i];
                }
                yield Tensor.wrap(type, d, shape);
            }
            case INT64 -> Tensor.wrap(type, values, shape);
            case BOOL -> {
                boolean[] d = new boolean[values.length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = values[i] != 0;
                }
                yield Tensor.wrap(type, d, shape);
            }
            default -> throw new IllegalArgumentException("expected an integer or BOOL type, got " + type);
        };
    }

    /** The smallest value of an integer type. */
    static long min(DType t) {
        return switch (t) {
            case INT8 -> Byte.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case INT64 -> Long.MIN_VALUE;
            default -> 0; // UINT8, BOOL
        };
    }

    /** The largest value of an integer type. */
    static long max(DType t) {
        return switch (t) {
            case INT8 -> Byte.MAX_VALUE;
            case UINT8 -> 255;
            case INT32 -> Integer.MAX_VALUE;
            case INT64 -> Long.MAX_VALUE;
            default -> 1; // BOOL
        };
    }

    /** A 1-element or scalar INT32/INT64 tensor as a long (an axis, a k). */
    static long scalar(String node, String what, Tensor t) {
        if ((t.dtype() != DType.INT64 && t.dtype() != DType.INT32) || t.size() != 1) {
            throw new IllegalArgumentException(node + ": input " + what + " must be one INT64 (or INT32) value, got "
                    + t.dtype() + " " + t.shape());
        }
        return t.contiguous().dtype() == DType.INT64 ? t.contiguous().longData()[t.contiguous().offset()]
                : t.contiguous().intData()[t.contiguous().offset()];
    }
}
