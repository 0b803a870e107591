package dev.sprig.core.ops.shape;

import dev.sprig.core.ModelException;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import java.util.Arrays;

/**
 * ONNX Transpose: output axis i is input axis {@code perm[i]} (default: the axes reversed),
 * copied into a contiguous tensor by {@link StridedCopy} (tiled for FLOAT).
 */
final class Transpose implements Operator {

    private final int[] perm;

    private Transpose(int[] perm) {
        this.perm = perm;
    }

    static Operator create(Node node, int opset) {
        long[] p = node.attrInts("perm", null);
        if (p == null) {
            return new Transpose(null);
        }
        int[] perm = new int[p.length];
        boolean[] seen = new boolean[p.length];
        for (int i = 0; i < p.length; i++) {
            if (p[i] < 0 || p[i] >= p.length || seen[(int) p[i]]) {
                throw new ModelException(node.describe() + ": perm " + Arrays.toString(p)
                        + " is not a permutation of 0.." + (p.length - 1));
            }
            seen[(int) p[i]] = true;
            perm[i] = (int) p[i];
        }
        return new Transpose(perm);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor x = Args.input(inputs, 0, "data");
        int rank = x.shape().rank();
        int[] p = perm;
        if (p == null) {
            p = new int[rank];
            for (int i = 0; i < rank; i++) {
                p[i] = rank - 1 - i;
            }
        } else if (p.length != rank) {
            throw new IllegalArgumentException("Transpose perm " + Arrays.toString(p) + " has " + p.length
                    + " axes, the input " + x.shape() + " has rank " + rank);
        }
        return new Tensor[]{StridedCopy.copy(x.permute(p), context)};
    }
}
