package dev.sprig.onnx;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;

/**
 * Compares a computed tensor with an expected one the way the ONNX backend tests do: dtype and
 * shape must be identical; FLOAT elements must satisfy {@code |got - exp| <= atol + rtol * |exp|}
 * (NaN matches NaN, an infinity only the same infinity); integer and BOOL elements must be equal.
 */
final class TensorMatch {

    private TensorMatch() {
    }

    /** Null when {@code got} matches {@code expected}, else what differs (dtype, shape, or first index). */
    static String mismatch(Tensor expected, Tensor got, double rtol, double atol) {
        if (got == null) {
            return "no tensor was returned";
        }
        if (expected.dtype() != got.dtype()) {
            return "dtype: expected " + expected.dtype() + ", got " + got.dtype();
        }
        if (!expected.shape().equals(got.shape())) {
            return "shape: expected " + expected.shape() + ", got " + got.shape();
        }
        Tensor e = expected.contiguous();
        Tensor g = got.contiguous();
        int n = e.size();
        int eo = e.offset();
        int go = g.offset();
        for (int i = 0; i < n; i++) {
            boolean same;
            String ev;
            String gv;
            switch (e.dtype()) {
                case FLOAT -> {
                    float x = e.floatData()[eo + i];
                    float y = g.floatData()[go + i];
                    same = floatsMatch(x, y, rtol, atol);
                    ev = Float.toString(x);
                    gv = Float.toString(y);
                }
                case INT8, UINT8 -> {
                    // UINT8 compared as bytes is exact too; printed unsigned
                    byte x = e.byteData()[eo + i];
                    byte y = g.byteData()[go + i];
                    same = x == y;
                    boolean unsigned = e.dtype() == DType.UINT8;
                    ev = Integer.toString(unsigned ? x & 0xFF : x);
                    gv = Integer.toString(unsigned ? y & 0xFF : y);
                }
                case INT32 -> {
                    int x = e.intData()[eo + i];
                    int y = g.intData()[go + i];
                    same = x == y;
                    ev = Integer.toString(x);
                    gv = Integer.toString(y);
                }
                case INT64 -> {
                    long x = e.longData()[eo + i];
                    long y = g.longData()[go + i];
                    same = x == y;
                    ev = Long.toString(x);
                    gv = Long.toString(y);
                }
                case BOOL -> {
                    boolean x = e.booleanData()[eo + i];
                    boolean y = g.booleanData()[go + i];
                    same = x == y;
                    ev = Boolean.toString(x);
                    gv = Boolean.toString(y);
                }
                default -> throw new IllegalStateException("unhandled dtype " + e.dtype());
            }
            if (!same) {
                return "index " + i + " of " + n + " " + e.dtype() + e.shape() + ": expected " + ev + ", got " + gv;
            }
        }
        return null;
    }

    static boolean floatsMatch(float expected, float got, double rtol, double atol) {
        if (Float.isNaN(expected) || Float.isNaN(got)) {
            return Float.isNaN(expected) && Float.isNaN(got);
        }
        if (Float.isInfinite(expected) || Float.isInfinite(got)) {
            return expected == got;
        }
        return Math.abs((double) got - expected) <= atol + rtol * Math.abs((double) expected);
    }
}
