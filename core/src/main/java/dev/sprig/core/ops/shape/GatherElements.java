package dev.sprig.core.ops.shape;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;

/**
 * ONNX GatherElements (opset 11): {@code out[i][j][k] = data[indices[i][j][k]][j][k]} for
 * {@code axis = 0} and likewise on other axes; indices have the rank of data and at most its
 * size on every axis, and may be negative (counted from the end of the axis).
 */
final class GatherElements implements Operator {

    private final long axis;

    private GatherElements(long axis) {
        this.axis = axis;
    }

    static Operator create(Node node, int opset) {
        return new GatherElements(node.attrInt("axis", 0));
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor data = StridedCopy.contiguous(Args.input(inputs, 0, "data"), context);
        Tensor indicesTensor = Args.input(inputs, 1, "indices");
        long[] indices = Elements.longs(indicesTensor, "GatherElements indices");
        int rank = data.shape().rank();
        if (rank == 0 || indicesTensor.shape().rank() != rank) {
            throw new IllegalArgumentException("GatherElements needs data and indices of equal rank >= 1, got "
                    + data.shape() + " and " + indicesTensor.shape());
        }
        int a = Args.axis(axis, rank, true, "GatherElements axis");
        int[] dd = data.shape().dims();
        int[] id = indicesTensor.shape().dims();
        for (int i = 0; i < rank; i++) {
            if (i != a && id[i] > dd[i]) {
                throw new IllegalArgumentException("GatherElements indices " + indicesTensor.shape()
                        + " are larger than data " + data.shape() + " on axis " + i);
            }
        }
        int[] ds = data.strides();
        Tensor out = Tensor.zeros(data.dtype(), indicesTensor.shape());
        Object src = data.array();
        Object dst = out.array();
        int dim = dd[a];
        int[] idx = new int[rank];
        for (int i = 0; i < indices.length; i++) {
            long k = indices[i] < 0 ? indices[i] + dim : indices[i];
            if (k < 0 || k >= dim) {
                throw new IllegalArgumentException("GatherElements index " + indices[i] + " is out of range ["
                        + -dim + ", " + (dim - 1) + "] for axis " + a + " of " + data.shape());
            }
            int p = data.offset();
            for (int d = 0; d < rank; d++) {
                p += (d == a ? (int) k : idx[d]) * ds[d];
            }
            System.arraycopy(src, p, dst, i, 1);
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < id[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return new Tensor[]{out};
    }
}
