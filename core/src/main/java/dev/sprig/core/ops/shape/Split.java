package dev.sprig.core.ops.shape;

import dev.sprig.core.ModelException;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import java.util.Arrays;

/**
 * ONNX Split: consecutive slices of {@code axis}, one per node output. Their lengths come from
 * the {@code split} attribute (opsets 1-12; opset 1 also takes it as input 1) or input (13 on);
 * without them, from {@code num_outputs} (18 on: chunks of ceil(d/n), the last one shorter) or
 * else equal parts.
 */
final class Split implements Operator {

    private final long axis;
    private final boolean negativeAllowed;
    private final long[] splitAttr;
    private final boolean splitInput;
    private final int outputs;
    private final boolean unevenLast;

    private Split(long axis, boolean negativeAllowed, long[] splitAttr, boolean splitInput, int outputs,
                  boolean unevenLast) {
        this.axis = axis;
        this.negativeAllowed = negativeAllowed;
        this.splitAttr = splitAttr;
        this.splitInput = splitInput;
        this.outputs = outputs;
        this.unevenLast = unevenLast;
    }

    static Operator create(Node node, int opset) {
        int outputs = node.outputs().size();
        long[] split = opset < 13 ? node.attrInts("split", null) : null;
        if (split != null && split.length != outputs) {
            throw new ModelException(node.describe() + ": split " + Arrays.toString(split) + " has " + split.length
                    + " parts but the node has " + outputs + " outputs");
        }
        boolean unevenLast = false;
        if (opset >= 18 && node.hasAttribute("num_outputs")) {
            long n = node.attrInt("num_outputs", 0);
            if (n != outputs) {
                throw new ModelException(node.describe() + ": num_outputs=" + n + " but the node has " + outputs
                        + " outputs");
            }
            if (node.hasInput(1)) {
                throw new ModelException(node.describe() + ": give either the split input or num_outputs, not both");
            }
            unevenLast = true;
        }
        boolean splitInput = opset >= 13 || opset == 1;
        return new Split(node.attrInt("axis", 0), opset >= 11, split, splitInput, outputs, unevenLast);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor x = Args.input(inputs, 0, "input");
        int rank = x.shape().rank();
        int a = Args.axis(axis, rank, negativeAllowed, "Split axis");
        int dim = x.shape().dim(a);
        long[] lengths = splitAttr;
        Tensor splitTensor = splitInput ? Args.optional(inputs, 1) : null;
        if (splitTensor != null) {
            lengths = Elements.longList(splitTensor, "split");
        }
        if (lengths == null) {
            lengths = new long[outputs];
            if (unevenLast) {
                long chunk = (dim + outputs - 1) / outputs;
                for (int i = 0; i < outputs; i++) {
                    lengths[i] = Math.max(0, Math.min(chunk, dim - chunk * i));
                }
            } else {
                if (dim % outputs != 0) {
                    throw new IllegalArgumentException("Split of " + x.shape() + " on axis " + a + " into " + outputs
                            + " equal parts: " + dim + " is not a multiple of " + outputs);
                }
                Arrays.fill(lengths, dim / outputs);
            }
        }
        if (lengths.length != outputs) {
            throw new IllegalArgumentException("split " + Arrays.toString(lengths) + " has " + lengths.length
                    + " parts, the node has " + outputs + " outputs");
        }
        long sum = 0;
        for (long l : lengths) {
            if (l < 0) {
                throw new IllegalArgumentException("split " + Arrays.toString(lengths) + " has a negative length");
            }
            sum += l;
        }
        if (sum != dim) {
            throw new IllegalArgumentException("split " + Arrays.toString(lengths) + " sums to " + sum + ", axis " + a
                    + " of " + x.shape() + " has " + dim);
        }
        Tensor[] out = new Tensor[outputs];
        int[] strides = x.strides();
        int start = 0;
        for (int i = 0; i < outputs; i++) {
            int[] dims = x.shape().dims();
            dims[a] = (int) lengths[i];
            out[i] = StridedCopy.copy(x.dtype(), x.array(), x.offset() + start * strides[a], dims, strides,
                    context);
            start += dims[a];
        }
        return out;
    }
}
