package dev.sprig.core.ops.shape;

import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;

/**
 * ONNX Gather: entries of {@code data} along {@code axis} picked by {@code indices} (INT32 or
 * INT64, negative counting from the end; a negative axis from opset 11). The output shape is
 * {@code data[:axis] + indices + data[axis+1:]}; each picked entry is one contiguous block of
 * the trailing axes, moved with one arraycopy.
 */
final class Gather implements Operator {

    private final long axis;
    private final boolean negativeAllowed;

    private Gather(long axis, boolean negativeAllowed) {
        this.axis = axis;
        this.negativeAllowed = negativeAllowed;
    }

    static Operator create(Node node, int opset) {
        return new Gather(node.attrInt("axis", 0), opset >= 11);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor data = StridedCopy.contiguous(Args.input(inputs, 0, "data"), context);
        Tensor indicesTensor = Args.input(inputs, 1, "indices");
        long[] indices = Elements.longs(indicesTensor, "Gather indices");
        int rank = data.shape().rank();
        if (rank == 0) {
            throw new IllegalArgumentException("Gather needs data of rank >= 1, got a scalar");
        }
        int a = Args.axis(axis, rank, negativeAllowed, "Gather axis");
        int[] dd = data.shape().dims();
        int[] id = indicesTensor.shape().dims();
        int[] outDims = new int[rank - 1 + id.length];
        System.arraycopy(dd, 0, outDims, 0, a);
        System.arraycopy(id, 0, outDims, a, id.length);
        System.arraycopy(dd, a + 1, outDims, a + id.length, rank - a - 1);
        Tensor out = Tensor.zeros(data.dtype(), Shape.of(outDims));
        int outer = (int) Elements.product(dd, 0, a);
        int inner = (int) Elements.product(dd, a + 1, rank);
        int dim = dd[a];
        int[] rows = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            long k = indices[i] < 0 ? indices[i] + dim : indices[i];
            if (k < 0 || k >= dim) {
                throw new IllegalArgumentException("Gather index " + indices[i] + " is out of range [" + -dim + ", "
                        + (dim - 1) + "] for axis " + a + " of " + data.shape());
            }
            rows[i] = (int) k;
        }
        Object src = data.array();
        Object dst = out.array();
        int at = 0;
        for (int o = 0; o < outer; o++) {
            int base = data.offset() + o * dim * inner;
            for (int row : rows) {
                System.arraycopy(src, base + row * inner, dst, at, inner);
                at += inner;
            }
        }
        return new Tensor[]{out};
    }
}
