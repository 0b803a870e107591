package dev.sprig.core.ops.shape;

import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import java.util.Arrays;

/**
 * ONNX Tile (opset 6): the input repeated {@code repeats[i]} times along each axis i. Built axis
 * by axis from the innermost: the first copy of each block is assembled, then duplicated with
 * arraycopy, so every element moves in long contiguous runs.
 */
final class Tile implements Operator {

    static Operator create(Node node, int opset) {
        return new Tile();
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor x = StridedCopy.contiguous(Args.input(inputs, 0, "input"), context);
        long[] repeats = Elements.longList(Args.input(inputs, 1, "repeats"), "Tile repeats");
        int rank = x.shape().rank();
        if (repeats.length != rank) {
            throw new IllegalArgumentException("Tile repeats " + Arrays.toString(repeats) + " has " + repeats.length
                    + " entries, the input " + x.shape() + " has rank " + rank);
        }
        long[] outDims = new long[rank];
        for (int i = 0; i < rank; i++) {
            if (repeats[i] < 0) {
                throw new IllegalArgumentException("Tile repeats " + Arrays.toString(repeats) + " has a negative entry");
            }
            outDims[i] = x.shape().dim(i) * repeats[i];
        }
        Shape outShape;
        try {
            outShape = Shape.ofLongs(outDims);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Tile of " + x.shape() + " by " + Arrays.toString(repeats) + ": "
                    + e.getMessage(), e);
        }
        Tensor out = Tensor.zeros(x.dtype(), outShape);
        if (out.size() == 0) {
            return new Tensor[]{out};
        }
        if (rank == 0) {
            System.arraycopy(x.array(), x.offset(), out.array(), 0, 1);
            return new Tensor[]{out};
        }
        tile(x.array(), x.offset(), x.strides(), x.shape().dims(), repeats, out.array(), 0, out.strides(), 0);
        return new Tensor[]{out};
    }

    /** Writes the tiling of the input block at {@code src} over axes [axis, rank) to {@code dst}. */
    private static void tile(Object src, int srcPos, int[] srcStrides, int[] dims, long[] repeats, Object dst,
                             int dstPos, int[] dstStrides, int axis) {
        int d = dims[axis];
        int block = d * (axis == dims.length - 1 ? 1 : dstStrides[axis]);
        if (axis == dims.length - 1) {
            System.arraycopy(src, srcPos, dst, dstPos, d);
        } else {
            for (int i = 0; i < d; i++) {
                tile(src, srcPos + i * srcStrides[axis], srcStrides, dims, repeats, dst, dstPos + i * dstStrides[axis],
                        dstStrides, axis + 1);
            }
        }
        for (int r = 1; r < repeats[axis]; r++) {
            System.arraycopy(dst, dstPos, dst, dstPos + r * block, block);
        }
    }
}
