package dev.sprig.core.ops.elementwise;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;

/**
 * Element conversions shared by the elementwise operators. Integer tensors of every width are
 * computed in {@code long} (UINT8 read unsigned) and narrowed back by keeping the low bits (two's
 * complement wrap-around, as C and ONNX Runtime do for integer overflow); that is how one loop
 * serves INT8, UINT8, INT32 and INT64.
 */
final class Values {

    private Values() {
    }

    /** True for INT8, UINT8, INT32 and INT64. */
    static boolean isInteger(DType t) {
        return t == DType.INT8 || t == DType.UINT8 || t == DType.INT32 || t == DType.INT64;
    }

    /**
     * The elements of an integer or BOOL tensor as longs in row-major order (BOOL as 0 or 1).
     * May return the tensor's own INT64 array when it is exactly the elements: read only.
     */
    static long[] longs(Tensor t) {
        Tensor c = t.contiguous();
        int n = c.size();
        int off = c.offset();
        long[] out;
        switch (c.dtype()) {
            case INT64 -> {
                long[] d = c.longData();
                if (off == 0 && d.length == n) {
                    return d;
                }
                out = new long[n];
                System.arraycopy(d, off, out, 0, n);
            }
            case INT32 -> {
                int[] d = c.intData();
                out = new long[n];
                for (int i = 0; i < n; i++) {
                    out[i] = d[off + i];
                }
            }
            case INT8 -> {
                byte[] d = c.byteData();
                out = new long[n];
                for (int i = 0; i < n; i++) {
                    out[i] = d[off + i];
                }
            }
            case UINT8 -> {
                byte[] d = c.byteData();
                out = new long[n];
                for (int i = 0; i < n; i++) {
                    out[i] = d[off + i] & 0xFF;
                }
            }
            case BOOL -> {
                boolean[] d = c.booleanData();
                out = new long[n];
                for (int i = 0; i < n; i++) {
                    out[i] = d[off + i] ? 1 : 0;
                }
            }
            default -> throw new IllegalArgumentException("expected an integer or BOOL tensor, got " + c.dtype()
                    + " " + c.shape());
        }
        return out;
    }

    /** The elements of any tensor as doubles in row-major order (exact for every Sprig type but large INT64). */
    static double[] doubles(Tensor t) {
        if (t.dtype() == DType.FLOAT) {
            Tensor c = t.contiguous();
            float[] d = c.floatData();
            double[] out = new double[c.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = d[c.offset() + i];
            }
            return out;
        }
        long[] v = longs(t);
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    /**
     * A tensor of {@code type} from long values: integers keep the low bits (wrap-around), FLOAT
     * rounds to nearest, BOOL is {@code v != 0}.
     */
    static Tensor fromLongs(long[] v, DType type, Shape shape) {
        Tensor out = Tensor.zeros(type, shape);
        int n = v.length;
        switch (type) {
            case INT64 -> System.arraycopy(v, 0, out.longData(), 0, n);
            case INT32 -> {
                int[] d = out.intData();
                for (int i = 0; i < n; i++) {
                    d[i] = (int) v[i];
                }
            }
            case INT8, UINT8 -> {
                byte[] d = out.byteData();
                for (int i = 0; i < n; i++) {
                    d[i] = (byte) v[i];
                }
            }
            case FLOAT -> {
                float[] d = out.floatData();
                for (int i = 0; i < n; i++) {
                    d[i] = v[i];
                }
            }
            case BOOL -> {
                boolean[] d = out.booleanData();
                for (int i = 0; i < n; i++) {
                    d[i] = v[i] != 0;
                }
            }
        }
        return out;
    }

    /**
     * A tensor of {@code type} from doubles: FLOAT rounds to nearest; integers truncate toward
     * zero into a long (Java's saturating conversion, NaN to 0) and keep the low bits.
     */
    static Tensor fromDoubles(double[] v, DType type, Shape shape) {
        if (type == DType.FLOAT) {
            float[] d = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                d[i] = (float) v[i];
            }
            return Tensor.wrap(DType.FLOAT, d, shape);
        }
        long[] l = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            l[i] = (long) v[i];
        }
        return fromLongs(l, type, shape);
    }

    /** The backing array of any tensor (shared). */
    static Object storage(Tensor t) {
        return switch (t.dtype()) {
            case FLOAT -> t.floatData();
            case INT8, UINT8 -> t.byteData();
            case INT32 -> t.intData();
            case INT64 -> t.longData();
            case BOOL -> t.booleanData();
        };
    }
}
