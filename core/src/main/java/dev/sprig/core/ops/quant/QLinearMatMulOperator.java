package dev.sprig.core.ops.quant;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import dev.sprig.core.ops.OperatorFactory;
import dev.sprig.kernels.int8.Requantize;
import java.util.List;
import java.util.Map;

/**
 * ONNX {@code QLinearMatMul} (opset 10; 21 only widened the scale types):
 * {@code y = saturate(round(acc * a_scale * b_scale / y_scale) + y_zero_point)} where
 * {@code acc = (a - a_zero_point) x (b - b_zero_point)} is the exact INT32 product with MatMul's
 * broadcasting. The multiplier {@code a_scale * b_scale / y_scale} is computed in FLOAT, one per
 * column when b's scale is per column (and per row when a's is per row); the requantization
 * rounds half to even. The output type is y_zero_point's.
 */
final class QLinearMatMulOperator implements Operator {

    private final String name;
    /** The exact product {@code (a - a_zero_point) x (b - b_zero_point)}: MatMulInteger's, with a constant b packed once. */
    private final Operator product;

    private QLinearMatMulOperator(String name, Operator product) {
        this.name = name;
        this.product = product;
    }

    /** The factory: a constant 2-D b (with a constant or absent zero point) is packed once, at load. */
    static OperatorFactory factory() {
        return OperatorFactory.preparing((node, opset, constants) -> {
            // MatMulInteger's inputs are A, B, a_zero_point, b_zero_point: inputs 0, 3, 2 and 5 here
            List<String> in = node.inputs();
            Node integer = new Node(node.name(), "MatMulInteger", "", List.of(input(in, 0), input(in, 3),
                    input(in, 2), input(in, 5)), List.of("acc"), Map.of());
            return new QLinearMatMulOperator(node.describe(),
                    MatMulIntegerOperator.factory().create(integer, opset, constants));
        });
    }

    private static String input(List<String> inputs, int i) {
        return i < inputs.size() ? inputs.get(i) : "";
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor a = QuantInputs.quantized(name, "a", inputs, 0);
        Tensor b = QuantInputs.quantized(name, "b", inputs, 3);
        Tensor acc;
        try {
            acc = product.run(new Tensor[]{a, b, QuantInputs.optional(inputs, 2), QuantInputs.optional(inputs, 5)},
                    context)[0];
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": the integer product (a - a_zero_point) x (b - b_zero_point): "
                    + e.getMessage(), e);
        }
        int n = b.shape().rank() == 1 ? 1 : b.shape().dim(-1);
        int m = a.shape().rank() == 1 ? 1 : a.shape().dim(-2);
        float[] aScale = vector(name, "a_scale", inputs, 1, m);
        float[] bScale = vector(name, "b_scale", inputs, 4, n);
        float yScale = QuantInputs.scalarScale(name, "y_scale", inputs, 6);
        Tensor yZeroTensor = QuantInputs.optional(inputs, 7);
        DType type = yZeroTensor == null ? a.dtype() : yZeroTensor.dtype();
        if (!QuantType.isQuantized(type)) {
            throw new IllegalArgumentException(name + ": y_zero_point must be UINT8 or INT8, got " + type);
        }
        int yZero = QuantInputs.scalarZeroPoint(name, "y_zero_point", inputs, 7, type);
        Tensor y = context.zeros(type, acc.shape());
        if (y.size() == 0) {
            return new Tensor[]{y};
        }
        int rows = acc.size() / n;
        boolean signed = QuantType.signed(type);
        int min = QuantType.min(type);
        int max = QuantType.max(type);
        if (aScale.length == 1) {
            Requantize.toBytes(acc.intData(), 0, rows, n, n, null, multipliers(aScale[0], bScale, yScale), yZero,
                    signed, min, max, y.byteData(), 0, n);
        } else {
            // a per-row scale of a: each row has its own multipliers
            for (int r = 0; r < rows; r++) {
                Requantize.toBytes(acc.intData(), r * n, 1, n, n, null, multipliers(aScale[r % m], bScale, yScale),
                        yZero, signed, min, max, y.byteData(), r * n, n);
            }
        }
        return new Tensor[]{y};
    }

    /** {@code aScale * bScale[j] / yScale} in FLOAT, one per entry of bScale. */
    static float[] multipliers(float aScale, float[] bScale, float yScale) {
        float[] out = new float[bScale.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = aScale * bScale[j] / yScale;
        }
        return out;
    }

    /** A FLOAT scale of 1 value or {@code count} values. */
    private static float[] vector(String node, String what, Tensor[] inputs, int i, int count) {
        Tensor t = QuantInputs.required(node, what, inputs, i);
        return QuantInputs.channelScales(node, what, inputs, i, t.size() == 1 ? 1 : count);
    }
}
