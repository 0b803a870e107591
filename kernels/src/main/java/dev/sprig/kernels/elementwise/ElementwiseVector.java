package dev.sprig.kernels.elementwise;

import dev.sprig.kernels.BinaryOp;
import dev.sprig.kernels.Ranges;
import dev.sprig.kernels.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API twins of {@link dev.sprig.kernels.reference.Elementwise} and
 * {@link dev.sprig.kernels.reference.Blas1#axpy}. Arithmetic is one IEEE operation per element,
 * so results equal the reference bitwise (axpy excepted: it fuses the multiply-add).
 */
public final class ElementwiseVector {

    private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    private static final int W = F.length();

    private ElementwiseVector() {
    }

    /** Broadcasting binary op; strides are 0 (broadcast) or 1 (contiguous). */
    public static void binary(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                              float[] c, int cOff, int n) {
        Ranges.checkStrided("binary a", aOff, aStride, n, a.length);
        Ranges.checkStrided("binary b", bOff, bStride, n, b.length);
        Ranges.check("binary c", cOff, n, c.length);
        if (n == 0) {
            return;
        }
        // one loop per operator: a lanewise call with a non-constant operator is not intrinsified.
        // The stride tests are loop-invariant; C2 unswitches them out of the loop.
        FloatVector aScalar = FloatVector.broadcast(F, a[aOff]);
        FloatVector bScalar = FloatVector.broadcast(F, b[bOff]);
        int bound = F.loopBound(n);
        int i = 0;
        switch (op) {
            case ADD -> {
                for (; i < bound; i += W) {
                    FloatVector va = aStride == 0 ? aScalar : FloatVector.fromArray(F, a, aOff + i);
                    FloatVector vb = bStride == 0 ? bScalar : FloatVector.fromArray(F, b, bOff + i);
                    va.add(vb).intoArray(c, cOff + i);
                }
            }
            case SUB -> {
                for (; i < bound; i += W) {
                    FloatVector va = aStride == 0 ? aScalar : FloatVector.fromArray(F, a, aOff + i);
                    FloatVector vb = bStride == 0 ? bScalar : FloatVector.fromArray(F, b, bOff + i);
                    va.sub(vb).intoArray(c, cOff + i);
                }
            }
            case MUL -> {
                for (; i < bound; i += W) {
                    FloatVector va = aStride == 0 ? aScalar : FloatVector.fromArray(F, a, aOff + i);
                    FloatVector vb = bStride == 0 ? bScalar : FloatVector.fromArray(F, b, bOff + i);
                    va.mul(vb).intoArray(c, cOff + i);
                }
            }
            case DIV -> {
                for (; i < bound; i += W) {
                    FloatVector va = aStride == 0 ? aScalar : FloatVector.fromArray(F, a, aOff + i);
                    FloatVector vb = bStride == 0 ? bScalar : FloatVector.fromArray(F, b, bOff + i);
                    va.div(vb).intoArray(c, cOff + i);
                }
            }
        }
        // scalar tail
        for (; i < n; i++) {
            c[cOff + i] = op.apply(a[aOff + i * aStride], b[bOff + i * bStride]);
        }
    }

    /** {@code y = max(x, 0)}. */
    public static void relu(float[] x, int xOff, float[] y, int yOff, int n) {
        Ranges.check("relu x", xOff, n, x.length);
        Ranges.check("relu y", yOff, n, y.length);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += W) {
            FloatVector.fromArray(F, x, xOff + i).max(0f).intoArray(y, yOff + i);
        }
        // scalar tail
        for (; i < n; i++) {
            y[yOff + i] = Math.max(x[xOff + i], 0f);
        }
    }

    /** {@code y += alpha * x}, with a fused multiply-add (one rounding per element). */
    public static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        Ranges.check("axpy x", xOff, n, x.length);
        Ranges.check("axpy y", yOff, n, y.length);
        FloatVector va = FloatVector.broadcast(F, alpha);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += W) {
            FloatVector.fromArray(F, x, xOff + i)
                    .fma(va, FloatVector.fromArray(F, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        // scalar tail
        for (; i < n; i++) {
            y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
        }
    }
}
