package dev.sprig.core.ops.reduce;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import dev.sprig.core.ops.OperatorFactory;
import java.util.Arrays;

/**
 * One ONNX reduction ({@link Reduction}) over a set of axes: from the {@code axes} attribute
 * (before ReduceSum-13 and the others' opset 18) or the optional INT64 {@code axes} input (after);
 * {@code keepdims} (default 1) keeps the reduced axes as 1s. No axes means every axis, unless
 * {@code noop_with_empty_axes} is set, when the input is returned unchanged.
 *
 * <p>The input is read once in row-major order and each element joins the running value of its
 * output element, so every output sums its terms in row-major order of the reduced axes; one thread.
 * FLOAT computes in float; INT8/UINT8/INT32/INT64 in long arithmetic (the mean truncates), the
 * logarithmic ones through float; BOOL for ReduceMax (any) and ReduceMin (all).
 */
final class ReduceOperator implements Operator {

    private final String name;
    private final Reduction kind;
    private final long[] axesAttribute;
    private final boolean axesFromInput;
    private final boolean keepDims;
    private final boolean noopWithEmptyAxes;

    private ReduceOperator(Node node, Reduction kind, boolean axesFromInput) {
        this.name = node.describe();
        this.kind = kind;
        this.axesFromInput = axesFromInput;
        if (axesFromInput && node.hasAttribute("axes")) {
            throw new ModelException(name + ": from this opset the axes are an input, not an attribute");
        }
        this.axesAttribute = node.attrInts("axes", null);
        long k = node.attrInt("keepdims", 1);
        long noop = node.attrInt("noop_with_empty_axes", 0);
        if ((k != 0 && k != 1) || (noop != 0 && noop != 1)) {
            throw new ModelException(name + ": keepdims and noop_with_empty_axes must be 0 or 1, got " + k + " and "
                    + noop);
        }
        this.keepDims = k == 1;
        this.noopWithEmptyAxes = noop == 1;
    }

    /** The factory of {@code kind}; {@code axesFromInput} for the opsets that take the axes as an input. */
    static OperatorFactory factory(Reduction kind, boolean axesFromInput) {
        return (node, opset) -> new ReduceOperator(node, kind, axesFromInput);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        if (inputs.length == 0 || inputs[0] == null) {
            throw new IllegalArgumentException(name + ": required input data is missing");
        }
        Tensor x = inputs[0];
        long[] axes = axesFromInput ? axesInput(inputs) : axesAttribute;
        if (axes == null || axes.length == 0) {
            if (noopWithEmptyAxes) {
                return new Tensor[]{x};
            }
            axes = null;
        }
        int rank = x.shape().rank();
        boolean[] reduced = new boolean[rank];
        if (axes == null) {
            Arrays.fill(reduced, true);
        } else {
            for (long a : axes) {
                if (a < -rank || a >= rank) {
                    throw new IllegalArgumentException(name + ": axis " + a + " is out of range for input "
                            + x.shape());
                }
                reduced[(int) (a < 0 ? a + rank : a)] = true;
            }
        }
        int[] dims = x.shape().dims();
        int[] kept = dims.clone();
        int terms = 1;
        for (int i = 0; i < rank; i++) {
            if (reduced[i]) {
                kept[i] = 1;
                terms *= dims[i];
            }
        }
        Shape keptShape = Shape.of(kept);
        Shape outShape = keepDims ? keptShape : Shape.of(dropReduced(dims, reduced));
        // output element stride of each input axis: 0 on reduced axes
        int[] outStride = keptShape.contiguousStrides();
        for (int i = 0; i < rank; i++) {
            if (reduced[i]) {
                outStride[i] = 0;
            }
        }
        DType type = x.dtype();
        if (type == DType.FLOAT) {
            return new Tensor[]{Tensor.wrap(DType.FLOAT, reduceFloat(floats(x), dims, outStride,
                    keptShape.size(), terms), outShape)};
        }
        if (!IntegerData.isInteger(type)) {
            throw new IllegalArgumentException(name + ": unsupported input type " + type);
        }
        if (type == DType.BOOL && kind != Reduction.MAX && kind != Reduction.MIN) {
            throw new IllegalArgumentException(name + ": BOOL input is only defined for ReduceMax and ReduceMin");
        }
        long[] values = IntegerData.toLongs(x);
        long[] out;
        if (kind == Reduction.LOG_SUM || kind == Reduction.LOG_SUM_EXP) {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = values[i];
            }
            float[] r = reduceFloat(f, dims, outStride, keptShape.size(), terms);
            out = new long[r.length];
            for (int i = 0; i < r.length; i++) {
                out[i] = (long) r[i];
            }
        } else {
            out = reduceLong(values, dims, outStride, keptShape.size(), terms, type);
        }
        return new Tensor[]{IntegerData.fromLongs(type, out, outShape)};
    }

    private float[] reduceFloat(float[] x, int[] dims, int[] outStride, int outSize, int terms) {
        float[] acc = new float[outSize];
        Arrays.fill(acc, kind.floatStart());
        float[] max = kind == Reduction.LOG_SUM_EXP ? new float[outSize] : null;
        if (max != null) {
            // ln(sum e^x) = max + ln(sum e^(x - max)): no term overflows
            Arrays.fill(max, Float.NEGATIVE_INFINITY);
            walk(x.length, dims, outStride, (i, o) -> max[o] = Math.max(max[o], x[i]));
            walk(x.length, dims, outStride, (i, o) -> acc[o] += (float) Math.exp(x[i] - max[o]));
        } else {
            walk(x.length, dims, outStride, (i, o) -> acc[o] = kind.join(acc[o], x[i]));
        }
        for (int o = 0; o < outSize; o++) {
            acc[o] = kind.finish(acc[o], terms, max == null ? 0f : max[o]);
        }
        return acc;
    }

    private long[] reduceLong(long[] x, int[] dims, int[] outStride, int outSize, int terms, DType type) {
        long[] acc = new long[outSize];
        Arrays.fill(acc, kind.longStart(IntegerData.min(type), IntegerData.max(type)));
        walk(x.length, dims, outStride, (i, o) -> acc[o] = kind.join(acc[o], x[i]));
        for (int o = 0; o < outSize; o++) {
            acc[o] = kind.finish(acc[o], terms);
        }
        return acc;
    }

    /** One step of the walk: input element i joins output element o. */
    @FunctionalInterface
    private interface Step {
        void accept(int i, int o);
    }

    /** Visits every input element in row-major order with its output element, tracked incrementally. */
    private static void walk(int size, int[] dims, int[] outStride, Step step) {
        int rank = dims.length;
        int[] idx = new int[rank];
        int o = 0;
        for (int i = 0; i < size; i++) {
            step.accept(i, o);
            for (int a = rank - 1; a >= 0; a--) {
                o += outStride[a];
                if (++idx[a] < dims[a]) {
                    break;
                }
                o -= dims[a] * outStride[a];
                idx[a] = 0;
            }
        }
    }

    private long[] axesInput(Tensor[] inputs) {
        if (inputs.length < 2 || inputs[1] == null) {
            return null;
        }
        Tensor a = inputs[1];
        if (a.dtype() != DType.INT64 || a.shape().rank() > 1) {
            throw new IllegalArgumentException(name + ": input axes must be a 1-D INT64 tensor, got " + a.dtype() + " "
                    + a.shape());
        }
        Tensor c = a.contiguous();
        return Arrays.copyOfRange(c.longData(), c.offset(), c.offset() + c.size());
    }

    private static float[] floats(Tensor x) {
        Tensor c = x.contiguous();
        return c.offset() == 0 && c.floatData().length == c.size() ? c.floatData()
                : Arrays.copyOfRange(c.floatData(), c.offset(), c.offset() + c.size());
    }

    private static int[] dropReduced(int[] dims, boolean[] reduced) {
        int n = 0;
        for (boolean r : reduced) {
            n += r ? 0 : 1;
        }
        int[] out = new int[n];
        for (int i = 0, j = 0; i < dims.length; i++) {
            if (!reduced[i]) {
                out[j++] = dims[i];
            }
        }
        return out;
    }
}
