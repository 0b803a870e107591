package dev.sprig.kernels.reference;

import dev.sprig.kernels.BinaryOp;
import dev.sprig.kernels.Ranges;

/** Reference elementwise kernels. */
public final class Elementwise {

    private Elementwise() {
    }

    /** {@code c[cOff+i] = op(a[aOff+i*aStride], b[bOff+i*bStride])}, strides 0 (broadcast) or 1. */
    public static void binary(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                              float[] c, int cOff, int n) {
        Ranges.checkStrided("binary a", aOff, aStride, n, a.length);
        Ranges.checkStrided("binary b", bOff, bStride, n, b.length);
        Ranges.check("binary c", cOff, n, c.length);
        for (int i = 0; i < n; i++) {
            c[cOff + i] = op.apply(a[aOff + i * aStride], b[bOff + i * bStride]);
        }
    }

    /** {@code y = max(x, 0)} elementwise; NaN stays NaN. */
    public static void relu(float[] x, int xOff, float[] y, int yOff, int n) {
        Ranges.check("relu x", xOff, n, x.length);
        Ranges.check("relu y", yOff, n, y.length);
        for (int i = 0; i < n; i++) {
            y[yOff + i] = Math.max(x[xOff + i], 0f);
        }
    }

    /** {@code y = e^x} elementwise, rounded from the double-precision {@link Math#exp}. */
    public static void exp(float[] x, int xOff, float[] y, int yOff, int n) {
        Ranges.check("exp x", xOff, n, x.length);
        Ranges.check("exp y", yOff, n, y.length);
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) Math.exp(x[xOff + i]);
        }
    }
}
