package dev.sprig.core.ops.nn;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import dev.sprig.kernels.KernelProvider;
import dev.sprig.kernels.reduce.NormKernels;

/**
 * ONNX {@code Softmax} and {@code LogSoftmax} on FLOAT tensors, on the backend's
 * {@link NormKernels} (rows over the last axis, split over threads).
 *
 * <p>Before opset 13 the input is coerced to 2-D at {@code axis} (default 1): rows are the product
 * of the axes before it, the softmax runs over everything from it on. From opset 13 it runs over
 * the one axis {@code axis} (default -1): when that is not the last axis it is moved there, and the
 * result moved back.
 */
final class SoftmaxOperator implements Operator {

    private final String name;
    private final boolean log;
    private final boolean coerce2d;
    private final int axis;

    private SoftmaxOperator(Node node, boolean log, int opset) {
        this.name = node.describe();
        this.log = log;
        this.coerce2d = opset < 13;
        this.axis = NnAttributes.integer(node, "axis", coerce2d ? 1 : -1);
    }

    /** The Softmax factory. */
    static Operator softmax(Node node, int opset) {
        return new SoftmaxOperator(node, false, opset);
    }

    /** The LogSoftmax factory. */
    static Operator logSoftmax(Node node, int opset) {
        return new SoftmaxOperator(node, true, opset);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor x = NnInputs.floatInput(name, "input", inputs, 0);
        int rank = x.shape().rank();
        if (rank == 0) {
            throw new IllegalArgumentException(name + ": input must have rank >= 1, got a scalar");
        }
        int a = checkedAxis(rank);
        int[] dims = x.shape().dims();
        if (coerce2d || a == rank - 1) {
            int cols = 1;
            for (int i = a; i < rank; i++) {
                cols *= dims[i];
            }
            return new Tensor[]{rows(x.contiguous(), cols, context).reshape(dims)};
        }
        // move the axis last, normalise the rows, move it back
        int[] perm = new int[rank];
        int[] inverse = new int[rank];
        for (int i = 0, j = 0; i < rank; i++) {
            if (i != a) {
                perm[j++] = i;
            }
        }
        perm[rank - 1] = a;
        for (int i = 0; i < rank; i++) {
            inverse[perm[i]] = i;
        }
        Tensor moved = x.permute(perm).contiguous();
        Tensor y = rows(moved, dims[a], context);
        return new Tensor[]{y.permute(inverse).contiguous()};
    }

    private int checkedAxis(int rank) {
        if (axis < -rank || axis >= rank) {
            throw new IllegalArgumentException(name + ": axis " + axis + " is out of range for rank " + rank);
        }
        return axis < 0 ? axis + rank : axis;
    }

    /** Softmax of each {@code cols}-long row of a contiguous tensor, into a new tensor of its shape. */
    private Tensor rows(Tensor x, int cols, OpContext context) {
        Tensor y = context.zeros(x.dtype(), x.shape());
        if (x.size() == 0 || cols == 0) {
            return y;
        }
        int rows = x.size() / cols;
        NormKernels kernels = KernelProvider.backend().norm();
        float[] xd = x.floatData();
        float[] yd = y.floatData();
        RowBlocks.run(context.pool(), rows, 4L * cols, (r0, count) -> {
            if (log) {
                kernels.logSoftmax(count, cols, xd, x.offset() + r0 * cols, yd, r0 * cols);
            } else {
                kernels.softmax(count, cols, xd, x.offset() + r0 * cols, yd, r0 * cols);
            }
        });
        return y;
    }
}
