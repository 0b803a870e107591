package dev.sprig.core.ops.nn;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import dev.sprig.kernels.KernelProvider;
import dev.sprig.kernels.reduce.NormKernels;

/**
 * ONNX {@code InstanceNormalization} on FLOAT {@code N x C x D1 ... Dn}: each (n, c) plane is
 * normalised by its own mean and population variance,
 * {@code y = scale[c] * (x - mean) / sqrt(var + epsilon) + B[c]}. The normalisation is the
 * backend's {@link NormKernels#layerNorm} over each plane as a row; the per-channel scale and bias
 * follow.
 */
final class InstanceNormOperator implements Operator {

    private final String name;
    private final float epsilon;

    private InstanceNormOperator(Node node) {
        this.name = node.describe();
        this.epsilon = node.attrFloat("epsilon", 1e-5f);
    }

    /** The factory. */
    static Operator create(Node node, int opset) {
        return new InstanceNormOperator(node);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor x = NnInputs.floatInput(name, "input", inputs, 0).contiguous();
        if (x.shape().rank() < 3) {
            throw new IllegalArgumentException(name + ": input must be N x C x D1 ..., got " + x.shape());
        }
        int c = x.shape().dim(1);
        Tensor scale = NnInputs.vector(name, "scale", NnInputs.required(name, "scale", inputs, 1), c);
        Tensor bias = NnInputs.vector(name, "B", NnInputs.required(name, "B", inputs, 2), c);
        Tensor y = Tensor.zeros(DType.FLOAT, x.shape());
        int planes = x.shape().dim(0) * c;
        int plane = planes == 0 ? 0 : x.size() / planes;
        if (plane == 0) {
            return new Tensor[]{y};
        }
        NormKernels kernels = KernelProvider.backend().norm();
        float[] xd = x.floatData();
        float[] yd = y.floatData();
        float[] sd = scale.floatData();
        float[] bd = bias.floatData();
        RowBlocks.run(context.pool(), planes, 3L * plane, (p0, count) -> {
            kernels.layerNorm(count, plane, epsilon, xd, x.offset() + p0 * plane, null, 0, null, 0, yd, p0 * plane);
            for (int p = p0; p < p0 + count; p++) {
                float s = sd[scale.offset() + p % c];
                float b = bd[bias.offset() + p % c];
                for (int i = p * plane; i < (p + 1) * plane; i++) {
                    yd[i] = yd[i] * s + b;
                }
            }
        });
        return new Tensor[]{y};
    }
}
