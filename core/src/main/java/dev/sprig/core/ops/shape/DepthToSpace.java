package dev.sprig.core.ops.shape;

import dev.sprig.core.ModelException;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;

/**
 * ONNX DepthToSpace: [N, C, H, W] to [N, C/b², H*b, W*b], moving blocks of channels into b x b
 * spatial blocks. Mode DCR (default; the only one before opset 11) reads the input as
 * [N, b, b, C/b², H, W], CRD as [N, C/b², b, b, H, W]; either is one permuted view copied by
 * {@link StridedCopy}.
 */
final class DepthToSpace implements Operator {

    private final int blockSize;
    private final boolean crd;

    private DepthToSpace(int blockSize, boolean crd) {
        this.blockSize = blockSize;
        this.crd = crd;
    }

    static Operator create(Node node, int opset) {
        long b = node.requireInt("blocksize");
        if (b < 1 || b > 1 << 15) {
            throw new ModelException(node.describe() + ": blocksize must be >= 1, got " + b);
        }
        String mode = Args.choice(node, "mode", "DCR", "DCR", "CRD");
        return new DepthToSpace((int) b, mode.equals("CRD"));
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor x = Args.input(inputs, 0, "input");
        if (x.shape().rank() != 4) {
            throw new IllegalArgumentException("DepthToSpace needs a 4-D [N,C,H,W] input, got " + x.shape());
        }
        int n = x.shape().dim(0);
        int c = x.shape().dim(1);
        int h = x.shape().dim(2);
        int w = x.shape().dim(3);
        int b = blockSize;
        if (c % (b * b) != 0) {
            throw new IllegalArgumentException("DepthToSpace with blocksize " + b + ": channels " + c + " of "
                    + x.shape() + " are not a multiple of " + b * b);
        }
        int co = c / (b * b);
        Tensor view = crd
                ? StridedCopy.contiguous(x, context).reshape(n, co, b, b, h, w).permute(0, 1, 4, 2, 5, 3)
                : StridedCopy.contiguous(x, context).reshape(n, b, b, co, h, w).permute(0, 3, 4, 1, 5, 2);
        return new Tensor[]{StridedCopy.copy(view, context).reshape(n, co, h * b, w * b)};
    }
}
