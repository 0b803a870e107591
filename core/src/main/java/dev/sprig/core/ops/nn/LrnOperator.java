package dev.sprig.core.ops.nn;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;

/**
 * ONNX {@code LRN}, local response normalisation across channels of FLOAT {@code N x C x ...}:
 * {@code y = x / (bias + alpha / size * sum of x^2 over channels
 * [c - floor((size - 1) / 2), c + ceil((size - 1) / 2)])^beta}, the channel window clipped to
 * [0, C). Plain loops, images split over threads.
 */
final class LrnOperator implements Operator {

    private final String name;
    private final int size;
    private final float alpha;
    private final float beta;
    private final float bias;

    private LrnOperator(Node node) {
        this.name = node.describe();
        this.size = NnAttributes.integer(node, "size", 0);
        if (!node.hasAttribute("size") || size < 1) {
            throw new ModelException(name + ": attribute 'size' is required and must be >= 1, got "
                    + (node.hasAttribute("size") ? String.valueOf(size) : "none"));
        }
        this.alpha = node.attrFloat("alpha", 1e-4f);
        this.beta = node.attrFloat("beta", 0.75f);
        this.bias = node.attrFloat("bias", 1f);
    }

    /** The factory. */
    static Operator create(Node node, int opset) {
        return new LrnOperator(node);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor x = NnInputs.floatInput(name, "X", inputs, 0).contiguous();
        if (x.shape().rank() < 3) {
            throw new IllegalArgumentException(name + ": X must be N x C x D1 ..., got " + x.shape());
        }
        int n = x.shape().dim(0);
        int c = x.shape().dim(1);
        int plane = n * c == 0 ? 0 : x.size() / (n * c);
        int before = (size - 1) / 2;
        int after = size - 1 - before;
        float scale = alpha / size;
        Tensor y = Tensor.zeros(DType.FLOAT, x.shape());
        float[] xd = x.floatData();
        float[] yd = y.floatData();
        int xo = x.offset();
        RowBlocks.run(context.pool(), n, (long) c * plane * size, (i0, count) -> {
            for (int img = i0; img < i0 + count; img++) {
                for (int ch = 0; ch < c; ch++) {
                    int lo = Math.max(0, ch - before);
                    int hi = Math.min(c - 1, ch + after);
                    for (int i = 0; i < plane; i++) {
                        float sum = 0f;
                        for (int k = lo; k <= hi; k++) {
                            float v = xd[xo + (img * c + k) * plane + i];
                            sum += v * v;
                        }
                        int at = (img * c + ch) * plane + i;
                        yd[at] = (float) (xd[xo + at] / Math.pow(bias + scale * sum, beta));
                    }
                }
            }
        });
        return new Tensor[]{y};
    }
}
