package dev.sprig.core.ops.quant;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import dev.sprig.core.ops.OperatorFactory;
import dev.sprig.core.ops.fused.FusedOperators;
import dev.sprig.kernels.conv.Conv2dShape;
import dev.sprig.kernels.int8.PackedQConvWeights;
import dev.sprig.kernels.int8.QConv2d;
import dev.sprig.kernels.int8.Requantize;
import java.util.Arrays;

/**
 * ONNX {@code QLinearConv} (opset 10), 1-D or 2-D:
 * {@code y[m] = saturate(round((acc[m] + B[m]) * x_scale * w_scale[m] / y_scale) + y_zero_point)}
 * where {@code acc = conv(x - x_zero_point, w - w_zero_point)} is the exact INT32 convolution
 * ({@link IntegerConv}) and B the optional INT32 bias (scale {@code x_scale * w_scale}). Scales and
 * zero points of x and y are per tensor; w's are per tensor or per output channel. The multiplier
 * is computed in FLOAT, the requantization rounds half to even. The output type is
 * y_zero_point's. A constant w (with a constant or absent zero point) is packed for the GEMM
 * once, at load; a constant depthwise w is run by the FP32 depthwise kernel on integer-valued
 * floats, which is exact ({@link FloatExactConv}). The same class runs {@code dev.sprig:QLinearConv}, whose {@code activation=Relu}
 * (set by {@code passes.QdqFusion}) clamps the quantized output at y_zero_point.
 */
final class QLinearConvOperator implements Operator {

    private final String name;
    private final IntegerConv conv;
    private final ConstantWeights constantWeights;
    /** A {@code dev.sprig:QLinearConv} with a ReLU folded in: outputs below y_zero_point are clamped to it. */
    private final boolean relu;

    private QLinearConvOperator(Node node, ConstantWeights constantWeights) {
        this.name = node.describe();
        this.relu = node.domain().equals(FusedOperators.DOMAIN)
                && node.attrString("activation", "").equals("Relu");
        this.conv = new IntegerConv(node);
        this.constantWeights = constantWeights;
    }

    /** The factory: w is prepared once when it is a constant of the graph. */
    static OperatorFactory factory() {
        return OperatorFactory.preparing((node, opset, constants) -> {
            return new QLinearConvOperator(node, ConstantWeights.of(node, 3, 5, constants));
        });
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor x = QuantInputs.quantized(name, "x", inputs, 0).contiguous();
        Tensor w = QuantInputs.quantized(name, "w", inputs, 3);
        Conv2dShape s = conv.shape(x.shape(), w.shape());
        int channels = s.outChannels();
        float xScale = QuantInputs.scalarScale(name, "x_scale", inputs, 1);
        int xZero = QuantInputs.scalarZeroPoint(name, "x_zero_point", inputs, 2, x.dtype());
        float[] wScale = QuantInputs.channelScales(name, "w_scale", inputs, 4, channels);
        int[] wZero = QuantInputs.channelZeroPoints(name, "w_zero_point", inputs, 5, channels, w.dtype());
        float yScale = QuantInputs.scalarScale(name, "y_scale", inputs, 6);
        Tensor yZeroTensor = QuantInputs.optional(inputs, 7);
        DType type = yZeroTensor == null ? x.dtype() : yZeroTensor.dtype();
        if (!QuantType.isQuantized(type)) {
            throw new IllegalArgumentException(name + ": y_zero_point must be UINT8 or INT8, got " + type);
        }
        int yZero = QuantInputs.scalarZeroPoint(name, "y_zero_point", inputs, 7, type);
        int[] bias = bias(QuantInputs.optional(inputs, 8), channels);
        float[] multiplier = QLinearMatMulOperator.multipliers(xScale, wScale, yScale);

        int qMin = relu ? Math.max(yZero, QuantType.min(type)) : QuantType.min(type);
        FloatExactConv exact = constantWeights == null ? null
                : constantWeights.floatExactFor(w, QuantInputs.optional(inputs, 5), s, x.dtype(), xZero);
        if (exact != null) {
            float[] acc = exact.accumulate(s, x, xZero, context.pool());
            Tensor y = context.zeros(type, IntegerConv.outputShape(s, x.shape().rank()));
            int positions = s.outH() * s.outW();
            for (int image = 0; image < s.batch(); image++) {
                int at = image * channels * positions;
                Requantize.floatRowsToBytes(acc, at, channels, positions, bias, multiplier, yZero,
                        QuantType.signed(type), qMin, QuantType.max(type), y.byteData(), at);
            }
            return new Tensor[]{y};
        }
        PackedQConvWeights packed = constantWeights == null ? null
                : constantWeights.packedFor(w, QuantInputs.optional(inputs, 5), s);
        if (packed == null) {
            packed = IntegerConv.pack(s, w, wZero);
        }
        Tensor y = context.zeros(type, IntegerConv.outputShape(s, x.shape().rank()));
        // Q(relu(v)) = max(Q(v), y_zero_point): Q is monotone and Q(0) is the zero point
        QConv2d.conv2dToBytes(s, x.byteData(), x.offset(), QuantType.signed(x.dtype()), xZero, packed, bias, multiplier,
                yZero, QuantType.signed(type), qMin, QuantType.max(type), y.byteData(), 0, context.pool());
        return new Tensor[]{y};
    }

    private int[] bias(Tensor b, int channels) {
        if (b == null) {
            return null;
        }
        if (b.dtype() != DType.INT32 || b.shape().rank() != 1 || b.size() != channels) {
            throw new IllegalArgumentException(name + ": B must be an INT32 vector of " + channels
                    + " values (one per output channel), got " + b.dtype() + " " + b.shape());
        }
        Tensor c = b.contiguous();
        return Arrays.copyOfRange(c.intData(), c.offset(), c.offset() + channels);
    }
}
