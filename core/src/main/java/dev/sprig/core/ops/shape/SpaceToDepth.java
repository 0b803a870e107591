package dev.sprig.core.ops.shape;

import dev.sprig.core.ModelException;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;

/**
 * ONNX SpaceToDepth: [N, C, H, W] to [N, C*b², H/b, W/b], the inverse of DepthToSpace's DCR mode:
 * the input read as [N, C, H/b, b, W/b, b] and permuted to [N, b, b, C, H/b, W/b].
 */
final class SpaceToDepth implements Operator {

    private final int blockSize;

    private SpaceToDepth(int blockSize) {
        this.blockSize = blockSize;
    }

    static Operator create(Node node, int opset) {
        long b = node.requireInt("blocksize");
        if (b < 1 || b > 1 << 15) {
            throw new ModelException(node.describe() + ": blocksize must be >= 1, got " + b);
        }
        return new SpaceToDepth((int) b);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor x = Args.input(inputs, 0, "input");
        if (x.shape().rank() != 4) {
            throw new IllegalArgumentException("SpaceToDepth needs a 4-D [N,C,H,W] input, got " + x.shape());
        }
        int n = x.shape().dim(0);
        int c = x.shape().dim(1);
        int h = x.shape().dim(2);
        int w = x.shape().dim(3);
        int b = blockSize;
        if (h % b != 0 || w % b != 0) {
            throw new IllegalArgumentException("SpaceToDepth with blocksize " + b + ": height and width of "
                    + x.shape() + " must be multiples of " + b);
        }
        Tensor view = StridedCopy.contiguous(x, context).reshape(n, c, h / b, b, w / b, b).permute(0, 3, 5, 1, 2, 4);
        return new Tensor[]{StridedCopy.copy(view, context).reshape(n, c * b * b, h / b, w / b)};
    }
}
