package dev.sprig.core.ops.shape;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import java.util.Arrays;

/**
 * ONNX Slice: on each listed axis the elements {@code start, start+step, ...} up to but not
 * including {@code end}. Opsets 1-9 take starts/ends/axes as attributes (step 1); from 10 they
 * are inputs with optional axes and steps (negative steps walk backwards), negative axes from 11.
 * Negative starts and ends count from the end of the axis; out-of-range values are clamped, to
 * [0, d] for positive steps and to [0, d-1] (start) and [-1, d-1] (end) for negative ones.
 */
final class Slice implements Operator {

    private final long[] startsAttr;
    private final long[] endsAttr;
    private final long[] axesAttr;
    private final boolean negativeAxes;

    private Slice(long[] startsAttr, long[] endsAttr, long[] axesAttr, boolean negativeAxes) {
        this.startsAttr = startsAttr;
        this.endsAttr = endsAttr;
        this.axesAttr = axesAttr;
        this.negativeAxes = negativeAxes;
    }

    /** Opsets 1-9: attributes. */
    static Operator createV1(Node node, int opset) {
        return new Slice(node.requireInts("starts"), node.requireInts("ends"), node.attrInts("axes", null), false);
    }

    /** Opsets 10 on: inputs. */
    static Operator create(Node node, int opset) {
        return new Slice(null, null, null, opset >= 11);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor x = Args.input(inputs, 0, "data");
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps = null;
        if (startsAttr != null) {
            starts = startsAttr;
            ends = endsAttr;
            axes = axesAttr;
        } else {
            starts = Elements.longList(Args.input(inputs, 1, "starts"), "starts");
            ends = Elements.longList(Args.input(inputs, 2, "ends"), "ends");
            Tensor a = Args.optional(inputs, 3);
            Tensor s = Args.optional(inputs, 4);
            axes = a == null ? null : Elements.longList(a, "axes");
            steps = s == null ? null : Elements.longList(s, "steps");
        }
        int rank = x.shape().rank();
        int n = starts.length;
        if (ends.length != n || (axes != null && axes.length != n) || (steps != null && steps.length != n)) {
            throw new IllegalArgumentException("Slice starts " + Arrays.toString(starts) + ", ends "
                    + Arrays.toString(ends) + ", axes " + Arrays.toString(axes) + " and steps " + Arrays.toString(steps)
                    + " must have the same length");
        }
        int[] axisList;
        if (axes == null) {
            if (n > rank) {
                throw new IllegalArgumentException("Slice has " + n + " starts for a rank " + rank + " input " + x.shape());
            }
            axisList = new int[n];
            for (int i = 0; i < n; i++) {
                axisList[i] = i;
            }
        } else {
            axisList = Args.axes(axes, rank, negativeAxes, "Slice axes");
        }
        int[] dims = x.shape().dims();
        int[] strides = x.strides();
        int offset = x.offset();
        for (int i = 0; i < n; i++) {
            int a = axisList[i];
            long step = steps == null ? 1 : steps[i];
            if (step == 0) {
                throw new IllegalArgumentException("Slice step on axis " + a + " is 0");
            }
            long d = dims[a];
            long start = clampStart(starts[i], d, step);
            long end = clampEnd(ends[i], d, step);
            long count = step > 0 ? ceilDiv(end - start, step) : ceilDiv(start - end, -step);
            count = d == 0 ? 0 : Math.max(0, count);
            dims[a] = (int) count;
            if (count > 0) {
                offset += (int) start * strides[a];
            }
            // with one element the step is never taken (and may not fit an int)
            strides[a] = count <= 1 ? strides[a] : Math.toIntExact(strides[a] * step);
        }
        return new Tensor[]{StridedCopy.copy(x.dtype(), x.array(), offset, dims, strides, context)};
    }

    static long clampStart(long start, long d, long step) {
        if (start < 0) {
            start += d;
        }
        return step > 0 ? Math.clamp(start, 0, d) : Math.clamp(start, 0, Math.max(d - 1, 0));
    }

    static long clampEnd(long end, long d, long step) {
        if (end < 0) {
            end += d;
        }
        return step > 0 ? Math.clamp(end, 0, d) : Math.clamp(end, -1, d - 1);
    }

    private static long ceilDiv(long a, long b) {
        return Math.ceilDiv(a, b);
    }
}
