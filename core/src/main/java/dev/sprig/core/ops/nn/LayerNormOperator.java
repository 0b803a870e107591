package dev.sprig.core.ops.nn;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import dev.sprig.kernels.KernelProvider;
import dev.sprig.kernels.reduce.NormKernels;
import java.util.Arrays;

/**
 * ONNX {@code LayerNormalization} (opset 17) on FLOAT tensors: the axes from {@code axis} (default
 * -1) on are flattened into rows of {@code cols} values, each normalised by its mean and
 * population variance, then multiplied by Scale and shifted by B (both broadcast to the normalised
 * shape). Computed in float ({@code stash_type} 1, the only type Sprig holds). The optional Mean
 * and InvStdDev outputs have the shape of X with the normalised axes set to 1; they are recomputed
 * with the same two passes as the kernel (mean, then the variance of {@code x - mean}).
 */
final class LayerNormOperator implements Operator {

    private final String name;
    private final int axis;
    private final float epsilon;
    private final boolean wantMean;
    private final boolean wantInvStd;

    private LayerNormOperator(Node node) {
        this.name = node.describe();
        this.axis = NnAttributes.integer(node, "axis", -1);
        this.epsilon = node.attrFloat("epsilon", 1e-5f);
        if (!(epsilon >= 0f) || Float.isInfinite(epsilon)) {
            throw new ModelException(name + ": epsilon must be finite and >= 0, got " + epsilon);
        }
        this.wantMean = node.outputs().size() > 1 && !node.outputs().get(1).isEmpty();
        this.wantInvStd = node.outputs().size() > 2 && !node.outputs().get(2).isEmpty();
    }

    /** The factory. */
    static Operator create(Node node, int opset) {
        return new LayerNormOperator(node);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor x = NnInputs.floatInput(name, "X", inputs, 0).contiguous();
        Tensor scale = NnInputs.floatInput(name, "Scale", inputs, 1);
        Tensor bias = NnInputs.optionalFloat(name, "B", inputs, 2);
        int rank = x.shape().rank();
        if (axis < -rank || axis >= rank) {
            throw new IllegalArgumentException(name + ": axis " + axis + " is out of range for X " + x.shape());
        }
        int a = axis < 0 ? axis + rank : axis;
        int[] dims = x.shape().dims();
        int[] normDims = Arrays.copyOfRange(dims, a, rank);
        int cols = Shape.of(normDims).size();
        int rows = cols == 0 ? 0 : x.size() / cols;
        float[] s = expand(scale, "Scale", normDims);
        float[] b = bias == null ? null : expand(bias, "B", normDims);
        Tensor y = context.zeros(DType.FLOAT, x.shape());
        float[] xd = x.floatData();
        float[] yd = y.floatData();
        int xo = x.offset();
        if (rows > 0) {
            NormKernels kernels = KernelProvider.backend().norm();
            RowBlocks.run(context.pool(), rows, 3L * cols, (r0, count) ->
                    kernels.layerNorm(count, cols, epsilon, xd, xo + r0 * cols, s, 0, b, 0, yd, r0 * cols));
        }
        if (!wantMean && !wantInvStd) {
            return new Tensor[]{y};
        }
        int[] statDims = dims.clone();
        Arrays.fill(statDims, a, rank, 1);
        Tensor mean = Tensor.zeros(DType.FLOAT, Shape.of(statDims));
        Tensor invStd = Tensor.zeros(DType.FLOAT, Shape.of(statDims));
        for (int r = 0; r < rows; r++) {
            float sum = 0f;
            for (int i = 0; i < cols; i++) {
                sum += xd[xo + r * cols + i];
            }
            float m = sum / cols;
            float squares = 0f;
            for (int i = 0; i < cols; i++) {
                float d = xd[xo + r * cols + i] - m;
                squares += d * d;
            }
            mean.floatData()[r] = m;
            invStd.floatData()[r] = (float) (1.0 / Math.sqrt((double) (squares / cols) + epsilon));
        }
        return new Tensor[]{y, mean, invStd};
    }

    /** {@code t} broadcast (numpy, unidirectionally) to {@code dims}, as a contiguous float array. */
    private float[] expand(Tensor t, String what, int[] dims) {
        Shape target = Shape.of(dims);
        Shape own = t.shape();
        int rank = dims.length;
        boolean ok = own.rank() <= rank;
        for (int i = 0; ok && i < rank; i++) {
            int d = own.alignedDim(i, rank);
            ok = d == 1 || d == dims[i];
        }
        if (!ok) {
            throw new IllegalArgumentException(name + ": " + what + " " + own + " does not broadcast to the"
                    + " normalised shape " + target);
        }
        Tensor c = t.contiguous();
        if (own.size() == target.size()) {
            return Arrays.copyOfRange(c.floatData(), c.offset(), c.offset() + target.size());
        }
        float[] out = new float[target.size()];
        int[] idx = new int[rank];
        for (int j = 0; j < out.length; j++) {
            int p = 0;
            for (int i = rank - own.rank(); i < rank; i++) {
                int d = own.dim(i - (rank - own.rank()));
                p = p * d + (d == 1 ? 0 : idx[i]);
            }
            out[j] = c.floatData()[c.offset() + p];
            for (int i = rank - 1; i >= 0; i--) {
                if (++idx[i] < dims[i]) {
                    break;
                }
                idx[i] = 0;
            }
        }
        return out;
    }
}
