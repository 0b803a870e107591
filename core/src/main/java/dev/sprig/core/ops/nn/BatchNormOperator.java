package dev.sprig.core.ops.nn;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;

/**
 * ONNX {@code BatchNormalization} in inference mode on FLOAT {@code N x C x D1 ... Dn}:
 * {@code y = (x - mean[c]) / sqrt(var[c] + epsilon) * scale[c] + B[c]}, computed per channel as
 * {@code (x - mean) * invStd * scale + B} with {@code invStd} rounded once from double.
 *
 * <p>Training is rejected at load: {@code training_mode = 1} (opset 14+), or before opset 14 any of
 * the running/saved statistics outputs being used, or {@code spatial = 0} (opset 7 and 8's
 * per-activation statistics).
 */
final class BatchNormOperator implements Operator {

    private final String name;
    private final float epsilon;

    private BatchNormOperator(Node node) {
        this.name = node.describe();
        this.epsilon = node.attrFloat("epsilon", 1e-5f);
    }

    /** The factory: rejects training at load. */
    static Operator create(Node node, int opset) {
        if (opset >= 14 && node.attrInt("training_mode", 0) != 0) {
            throw new ModelException(node.describe() + ": training_mode = 1 is not supported; Sprig runs"
                    + " BatchNormalization for inference only (training_mode = 0)");
        }
        if (opset < 9 && node.attrInt("spatial", 1) != 1) {
            throw new ModelException(node.describe() + ": spatial = 0 (per-activation statistics) is not supported;"
                    + " expected spatial = 1");
        }
        for (int i = 1; i < node.outputs().size(); i++) {
            if (!node.outputs().get(i).isEmpty()) {
                throw new ModelException(node.describe() + ": output " + i + " ('" + node.outputs().get(i)
                        + "') holds training statistics; Sprig runs BatchNormalization for inference only and"
                        + " produces Y alone");
            }
        }
        return new BatchNormOperator(node);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor x = NnInputs.floatInput(name, "X", inputs, 0).contiguous();
        if (x.shape().rank() < 2) {
            throw new IllegalArgumentException(name + ": X must be N x C x ..., got " + x.shape());
        }
        int c = x.shape().dim(1);
        Tensor scale = NnInputs.vector(name, "scale", NnInputs.required(name, "scale", inputs, 1), c);
        Tensor bias = NnInputs.vector(name, "B", NnInputs.required(name, "B", inputs, 2), c);
        Tensor mean = NnInputs.vector(name, "input_mean", NnInputs.required(name, "input_mean", inputs, 3), c);
        Tensor var = NnInputs.vector(name, "input_var", NnInputs.required(name, "input_var", inputs, 4), c);
        float[] mul = new float[c];
        float[] sub = new float[c];
        float[] add = new float[c];
        for (int i = 0; i < c; i++) {
            float invStd = (float) (1.0 / Math.sqrt((double) var.floatData()[var.offset() + i] + epsilon));
            mul[i] = invStd * scale.floatData()[scale.offset() + i];
            sub[i] = mean.floatData()[mean.offset() + i];
            add[i] = bias.floatData()[bias.offset() + i];
        }
        Tensor y = context.zeros(DType.FLOAT, x.shape());
        int planes = x.shape().dim(0) * c;
        int plane = planes == 0 ? 0 : x.size() / planes;
        float[] xd = x.floatData();
        float[] yd = y.floatData();
        int xo = x.offset();
        RowBlocks.run(context.pool(), planes, plane, (p0, count) -> {
            for (int p = p0; p < p0 + count; p++) {
                int ch = p % c;
                float m = mul[ch];
                float s = sub[ch];
                float a = add[ch];
                for (int i = p * plane; i < (p + 1) * plane; i++) {
                    yd[i] = (xd[xo + i] - s) * m + a;
                }
            }
        });
        return new Tensor[]{y};
    }
}
