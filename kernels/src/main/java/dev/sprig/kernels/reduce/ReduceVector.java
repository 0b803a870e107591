package dev.sprig.kernels.reduce;

import dev.sprig.kernels.Ranges;
import dev.sprig.kernels.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API twins of {@link dev.sprig.kernels.reference.Blas1#dot} and
 * {@link dev.sprig.kernels.reference.Reductions}. Four independent accumulators hide the FMA/add
 * latency (4 cycles, 2 per cycle on Zen 4: one accumulator would run at an eighth of the rate).
 */
public final class ReduceVector {

    private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    private static final int W = F.length();

    private ReduceVector() {
    }

    /** Dot product; summation order differs from the reference (lanes, then 4 accumulators). */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        Ranges.check("dot a", aOff, n, a.length);
        Ranges.check("dot b", bOff, n, b.length);
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        FloatVector acc3 = FloatVector.zero(F);
        int i = 0;
        for (; i <= n - 4 * W; i += 4 * W) {
            acc0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc0);
            acc1 = FloatVector.fromArray(F, a, aOff + i + W).fma(FloatVector.fromArray(F, b, bOff + i + W), acc1);
            acc2 = FloatVector.fromArray(F, a, aOff + i + 2 * W).fma(FloatVector.fromArray(F, b, bOff + i + 2 * W), acc2);
            acc3 = FloatVector.fromArray(F, a, aOff + i + 3 * W).fma(FloatVector.fromArray(F, b, bOff + i + 3 * W), acc3);
        }
        for (; i <= n - W; i += W) {
            acc0 = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), acc0);
        }
        float sum = sumLanes(acc0.add(acc1).add(acc2.add(acc3)));
        // scalar tail
        for (; i < n; i++) {
            sum = Math.fma(a[aOff + i], b[bOff + i], sum);
        }
        return sum;
    }

    /** Sum; summation order differs from the reference. */
    public static float sum(float[] a, int off, int n) {
        Ranges.check("sum", off, n, a.length);
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        FloatVector acc3 = FloatVector.zero(F);
        int i = 0;
        for (; i <= n - 4 * W; i += 4 * W) {
            acc0 = acc0.add(FloatVector.fromArray(F, a, off + i));
            acc1 = acc1.add(FloatVector.fromArray(F, a, off + i + W));
            acc2 = acc2.add(FloatVector.fromArray(F, a, off + i + 2 * W));
            acc3 = acc3.add(FloatVector.fromArray(F, a, off + i + 3 * W));
        }
        for (; i <= n - W; i += W) {
            acc0 = acc0.add(FloatVector.fromArray(F, a, off + i));
        }
        float sum = sumLanes(acc0.add(acc1).add(acc2.add(acc3)));
        // scalar tail
        for (; i < n; i++) {
            sum += a[off + i];
        }
        return sum;
    }

    /** Maximum with {@link Math#max} semantics: bitwise equal to the reference (max is order-free). */
    public static float max(float[] a, int off, int n) {
        Ranges.check("max", off, n, a.length);
        FloatVector acc0 = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        FloatVector acc1 = acc0;
        int i = 0;
        for (; i <= n - 2 * W; i += 2 * W) {
            acc0 = acc0.max(FloatVector.fromArray(F, a, off + i));
            acc1 = acc1.max(FloatVector.fromArray(F, a, off + i + W));
        }
        float max = acc0.max(acc1).reduceLanes(VectorOperators.MAX);
        // scalar tail
        for (; i < n; i++) {
            max = Math.max(max, a[off + i]);
        }
        return max;
    }

    /**
     * The lanes' sum, lane 0 first, in that fixed order. {@code reduceLanes(ADD)} leaves the order
     * open, and it does change when C2 compiles the caller: softmax results moved by 1 ulp after
     * about 4,000 runs of the same input (seen by the session concurrency test).
     */
    public static float sumLanes(FloatVector v) {
        float[] lanes = new float[v.length()];
        v.intoArray(lanes, 0);
        float sum = lanes[0];
        for (int i = 1; i < lanes.length; i++) {
            sum += lanes[i];
        }
        return sum;
    }
}
