package dev.sprig.kernels.reduce;

import dev.sprig.kernels.VectorWidth;
import dev.sprig.kernels.elementwise.ExpVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API twin of {@link dev.sprig.kernels.reference.Normalization}, created only by the vector
 * backend ({@code KernelBackend#norm()}). Per row: the maximum or sum with {@link ReduceVector}, then
 * fused passes (softmax's exponentials are stored and summed in one loop); the exponential is
 * {@link ExpVector#exp(FloatVector)} (within 2 ulp of the reference's), inlined into the loop, and
 * softmax scales by the reciprocal of the sum (one more rounding than the reference's division).
 */
public final class NormVector implements NormKernels {

    private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    private static final int W = F.length();

    /** For the vector backend only (it is the one place that may load this class). */
    public NormVector() {
    }

    @Override
    public void softmax(int rows, int cols, float[] x, int xOff, float[] y, int yOff) {
        NormKernels.checkRows("softmax", rows, cols, x, xOff, y, yOff);
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * cols;
            int yr = yOff + r * cols;
            float max = ReduceVector.max(x, xr, cols);
            float sum = expSum(x, xr, cols, max, y, yr);
            FloatVector inv = FloatVector.broadcast(F, 1f / sum);
            int i = 0;
            for (; i <= cols - W; i += W) {
                FloatVector.fromArray(F, y, yr + i).mul(inv).intoArray(y, yr + i);
            }
            // scalar tail: the same multiplication
            float invSum = 1f / sum;
            for (; i < cols; i++) {
                y[yr + i] *= invSum;
            }
        }
    }

    @Override
    public void logSoftmax(int rows, int cols, float[] x, int xOff, float[] y, int yOff) {
        NormKernels.checkRows("logSoftmax", rows, cols, x, xOff, y, yOff);
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * cols;
            int yr = yOff + r * cols;
            float max = ReduceVector.max(x, xr, cols);
            float logSum = (float) Math.log(expSum(x, xr, cols, max, null, 0));
            FloatVector vmax = FloatVector.broadcast(F, max);
            FloatVector vlog = FloatVector.broadcast(F, logSum);
            int i = 0;
            for (; i <= cols - W; i += W) {
                FloatVector.fromArray(F, x, xr + i).sub(vmax).sub(vlog).intoArray(y, yr + i);
            }
            // scalar tail: the same two subtractions
            for (; i < cols; i++) {
                y[yr + i] = (x[xr + i] - max) - logSum;
            }
        }
    }

    @Override
    public void layerNorm(int rows, int cols, float epsilon, float[] x, int xOff, float[] scale, int scaleOff,
                          float[] bias, int biasOff, float[] y, int yOff) {
        NormKernels.checkRows("layerNorm", rows, cols, x, xOff, y, yOff);
        NormKernels.checkLayerNorm(cols, epsilon, scale, scaleOff, bias, biasOff);
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * cols;
            int yr = yOff + r * cols;
            float mean = ReduceVector.sum(x, xr, cols) / cols;
            FloatVector vmean = FloatVector.broadcast(F, mean);
            // second pass over x - mean: no cancellation when the mean is large against the spread
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = FloatVector.zero(F);
            int i = 0;
            for (; i <= cols - 2 * W; i += 2 * W) {
                FloatVector d0 = FloatVector.fromArray(F, x, xr + i).sub(vmean);
                FloatVector d1 = FloatVector.fromArray(F, x, xr + i + W).sub(vmean);
                acc0 = d0.fma(d0, acc0);
                acc1 = d1.fma(d1, acc1);
            }
            for (; i <= cols - W; i += W) {
                FloatVector d0 = FloatVector.fromArray(F, x, xr + i).sub(vmean);
                acc0 = d0.fma(d0, acc0);
            }
            float squares = ReduceVector.sumLanes(acc0.add(acc1));
            // scalar tail
            for (; i < cols; i++) {
                float d = x[xr + i] - mean;
                squares = Math.fma(d, d, squares);
            }
            float invStd = (float) (1.0 / Math.sqrt((double) (squares / cols) + epsilon));
            FloatVector vinv = FloatVector.broadcast(F, invStd);
            // null scale/bias: loop-invariant tests, unswitched by C2
            i = 0;
            for (; i <= cols - W; i += W) {
                FloatVector v = FloatVector.fromArray(F, x, xr + i).sub(vmean).mul(vinv);
                if (scale != null) {
                    v = v.mul(FloatVector.fromArray(F, scale, scaleOff + i));
                }
                if (bias != null) {
                    v = v.add(FloatVector.fromArray(F, bias, biasOff + i));
                }
                v.intoArray(y, yr + i);
            }
            // scalar tail: the reference's operations
            for (; i < cols; i++) {
                float v = (x[xr + i] - mean) * invStd;
                if (scale != null) {
                    v *= scale[scaleOff + i];
                }
                if (bias != null) {
                    v += bias[biasOff + i];
                }
                y[yr + i] = v;
            }
        }
    }

    /**
     * Returns {@code sum(e^(x - max))} over one row and, when {@code e} is non-null, stores the
     * exponentials there: one exponential per loop step and one accumulator. Two calls to
     * {@link ExpVector#exp(FloatVector)} in the body (the loop unrolled by hand) blew C2's node budget
     * once softmax inlined this method: the second exp failed to inline (NodeCountInliningCutoff, seen
     * with -XX:+PrintInlining), so its vectors were boxed, and softmax 12x128x128 ran at 4.8 GB/s.
     * C2 unrolls this loop itself; the add chain (4 cycles a step) hides under the exp's 20 operations.
     */
    private static float expSum(float[] x, int xr, int cols, float max, float[] e, int er) {
        FloatVector vmax = FloatVector.broadcast(F, max);
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i <= cols - W; i += W) {
            FloatVector e0 = ExpVector.exp(FloatVector.fromArray(F, x, xr + i).sub(vmax));
            if (e != null) {
                e0.intoArray(e, er + i);
            }
            acc = acc.add(e0);
        }
        float sum = ReduceVector.sumLanes(acc);
        return i < cols ? sum + expTail(x, xr + i, cols - i, max, e, er + i) : sum;
    }

    /**
     * The masked last vector of {@link #expSum} ({@code n < W} lanes), every lane through the same
     * polynomial. A method of its own that takes and returns no vector: inlined or not, nothing is
     * boxed, and when no row has a tail C2 never parses it.
     */
    private static float expTail(float[] x, int xi, int n, float max, float[] e, int ei) {
        VectorMask<Float> m = F.indexInRange(0, n);
        FloatVector e0 = ExpVector.exp(FloatVector.fromArray(F, x, xi, m).sub(max));
        if (e != null) {
            e0.intoArray(e, ei, m);
        }
        // lanes past the row must not count: e^(0 - max) is not zero
        return ReduceVector.sumLanes(e0.blend(0f, m.not()));
    }
}
