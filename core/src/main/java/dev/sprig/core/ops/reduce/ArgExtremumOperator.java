package dev.sprig.core.ops.reduce;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import dev.sprig.core.ops.OperatorFactory;

/**
 * ONNX {@code ArgMax} and {@code ArgMin}: the INT64 index of the largest (smallest) element along
 * {@code axis} (default 0), the first one or, with {@code select_last_index}, the last one among
 * equals; {@code keepdims} (default 1) keeps the axis as 1. A NaN counts as the extreme (its first
 * or last occurrence wins), as numpy's argmax does. FLOAT and the integer types.
 */
final class ArgExtremumOperator implements Operator {

    private final String name;
    private final boolean max;
    private final long axis;
    private final boolean keepDims;
    private final boolean selectLast;

    private ArgExtremumOperator(Node node, boolean max) {
        this.name = node.describe();
        this.max = max;
        this.axis = node.attrInt("axis", 0);
        this.keepDims = node.attrInt("keepdims", 1) != 0;
        this.selectLast = node.attrInt("select_last_index", 0) != 0;
        long s = node.attrInt("select_last_index", 0);
        if (s != 0 && s != 1) {
            throw new ModelException(name + ": select_last_index must be 0 or 1, got " + s);
        }
    }

    /** The ArgMax ({@code max}) or ArgMin factory. */
    static OperatorFactory factory(boolean max) {
        return (node, opset) -> new ArgExtremumOperator(node, max);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        if (inputs.length == 0 || inputs[0] == null) {
            throw new IllegalArgumentException(name + ": required input data is missing");
        }
        Tensor x = inputs[0].contiguous();
        int rank = x.shape().rank();
        if (axis < -rank || axis >= rank) {
            throw new IllegalArgumentException(name + ": axis " + axis + " is out of range for input " + x.shape());
        }
        int a = (int) (axis < 0 ? axis + rank : axis);
        int[] dims = x.shape().dims();
        int n = dims[a];
        if (n == 0) {
            throw new IllegalArgumentException(name + ": axis " + a + " of input " + x.shape() + " is empty");
        }
        int outer = 1;
        for (int i = 0; i < a; i++) {
            outer *= dims[i];
        }
        int inner = n == 0 ? 0 : x.size() / outer / n;
        float[] f = x.dtype() == DType.FLOAT ? x.floatData() : null;
        long[] l = f == null ? IntegerData.toLongs(x) : null;
        int off = f == null ? 0 : x.offset();
        long[] out = new long[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = off + o * n * inner + i;
                int best = 0;
                for (int k = 1; k < n; k++) {
                    int p = base + k * inner;
                    int q = base + best * inner;
                    int c = f != null ? compare(f[p], f[q]) : Long.compare(l[p], l[q]);
                    if (!max) {
                        c = -c;
                    }
                    if (c > 0 || (c == 0 && selectLast)) {
                        best = k;
                    }
                }
                out[o * inner + i] = best;
            }
        }
        int[] outDims;
        if (keepDims) {
            outDims = dims.clone();
            outDims[a] = 1;
        } else {
            outDims = new int[rank - 1];
            for (int i = 0, j = 0; i < rank; i++) {
                if (i != a) {
                    outDims[j++] = dims[i];
                }
            }
        }
        return new Tensor[]{Tensor.wrap(DType.INT64, out, Shape.of(outDims))};
    }

    /** Orders floats with NaN beyond both ends: a NaN candidate wins against a number for ArgMax and ArgMin. */
    private int compare(float candidate, float best) {
        if (Float.isNaN(candidate) || Float.isNaN(best)) {
            if (Float.isNaN(candidate) && Float.isNaN(best)) {
                return 0;
            }
            // the NaN is the extreme whichever direction we look in
            int nanWins = Float.isNaN(candidate) ? 1 : -1;
            return max ? nanWins : -nanWins;
        }
        return candidate > best ? 1 : candidate < best ? -1 : 0;
    }
}
