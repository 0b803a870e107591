package dev.sprig.core.ops.reduce;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import java.util.Arrays;
import java.util.Comparator;

/**
 * ONNX {@code TopK}: along {@code axis} (default -1), the k largest (or, with {@code largest = 0},
 * smallest) elements and their INT64 indices, in order from the extreme; equal values come lower
 * index first. k is an attribute before opset 10 and a one-element INT64 input from 10. Results are
 * always sorted (allowed when {@code sorted = 0}). NaN sorts above every number; -0 and +0 are equal.
 */
final class TopKOperator implements Operator {

    private final String name;
    private final long kAttribute;
    private final boolean kFromInput;
    private final long axis;
    private final boolean largest;

    private TopKOperator(Node node, int opset) {
        this.name = node.describe();
        this.kFromInput = opset >= 10;
        if (!kFromInput && !node.hasAttribute("k")) {
            throw new ModelException(name + ": required attribute 'k' is missing (TopK before opset 10)");
        }
        this.kAttribute = node.attrInt("k", -1);
        this.axis = node.attrInt("axis", -1);
        this.largest = node.attrInt("largest", 1) != 0;
    }

    /** The factory. */
    static Operator create(Node node, int opset) {
        return new TopKOperator(node, opset);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        if (inputs.length == 0 || inputs[0] == null) {
            throw new IllegalArgumentException(name + ": required input X is missing");
        }
        Tensor x = inputs[0].contiguous();
        long k = kAttribute;
        if (kFromInput) {
            if (inputs.length < 2 || inputs[1] == null) {
                throw new IllegalArgumentException(name + ": required input K is missing");
            }
            k = IntegerData.scalar(name, "K", inputs[1]);
        }
        int rank = x.shape().rank();
        if (axis < -rank || axis >= rank) {
            throw new IllegalArgumentException(name + ": axis " + axis + " is out of range for X " + x.shape());
        }
        int a = (int) (axis < 0 ? axis + rank : axis);
        int[] dims = x.shape().dims();
        int n = dims[a];
        if (k < 0 || k > n) {
            throw new IllegalArgumentException(name + ": K must be in [0, " + n + "] (the size of axis " + a
                    + " of X " + x.shape() + "), got " + k);
        }
        int kk = (int) k;
        int outer = 1;
        for (int i = 0; i < a; i++) {
            outer *= dims[i];
        }
        int inner = n == 0 ? 0 : x.size() / outer / n;
        int[] outDims = dims.clone();
        outDims[a] = kk;
        Shape outShape = Shape.of(outDims);
        boolean isFloat = x.dtype() == DType.FLOAT;
        if ((!isFloat && !IntegerData.isInteger(x.dtype())) || x.dtype() == DType.BOOL) {
            throw new IllegalArgumentException(name + ": X must be FLOAT or an integer type, got " + x.dtype());
        }
        float[] f = isFloat ? x.floatData() : null;
        long[] l = isFloat ? null : IntegerData.toLongs(x);
        int off = isFloat ? x.offset() : 0;
        float[] fv = isFloat ? new float[outShape.size()] : null;
        long[] lv = isFloat ? null : new long[outShape.size()];
        long[] idx = new long[outShape.size()];
        Integer[] order = new Integer[n];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = off + o * n * inner + i;
                for (int j = 0; j < n; j++) {
                    order[j] = j;
                }
                Comparator<Integer> byValue = isFloat
                        ? (p, q) -> compare(f[base + p * inner], f[base + q * inner])
                        : (p, q) -> Long.compare(l[base + p * inner], l[base + q * inner]);
                // a stable sort: equal values keep ascending index order
                Arrays.sort(order, largest ? byValue.reversed() : byValue);
                for (int j = 0; j < kk; j++) {
                    int src = base + order[j] * inner;
                    int dst = (o * kk + j) * inner + i;
                    if (isFloat) {
                        fv[dst] = f[src];
                    } else {
                        lv[dst] = l[src];
                    }
                    idx[dst] = order[j];
                }
            }
        }
        Tensor values = isFloat ? Tensor.wrap(DType.FLOAT, fv, outShape) : IntegerData.fromLongs(x.dtype(), lv, outShape);
        return new Tensor[]{values, Tensor.wrap(DType.INT64, idx, outShape)};
    }

    private static int compare(float p, float q) {
        if (p < q) {
            return -1;
        }
        if (p > q) {
            return 1;
        }
        // equal (including -0 and +0), or at least one NaN: NaN above numbers
        return Boolean.compare(Float.isNaN(p), Float.isNaN(q));
    }
}
