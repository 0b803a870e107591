package dev.sprig.core.ops.quant;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import dev.sprig.core.ops.OperatorFactory;
import dev.sprig.kernels.conv.Conv2dShape;
import dev.sprig.kernels.int8.PackedQConvWeights;
import dev.sprig.kernels.int8.QConv2d;

/**
 * ONNX {@code ConvInteger} (opset 10): the exact INT32 convolution
 * {@code conv(x - x_zero_point, w - w_zero_point)} of UINT8/INT8 NCHW tensors, 1-D or 2-D, with
 * Conv's attributes. {@code x_zero_point} is one value; {@code w_zero_point} one value or one per
 * output channel; both default to 0. A constant w (with a constant or absent zero point) is
 * packed for the GEMM once, at load.
 */
final class ConvIntegerOperator implements Operator {

    private final String name;
    private final IntegerConv conv;
    private final ConstantWeights constantWeights;

    private ConvIntegerOperator(Node node, ConstantWeights constantWeights) {
        this.name = node.describe();
        this.conv = new IntegerConv(node);
        this.constantWeights = constantWeights;
    }

    /** The factory: w is prepared once when it is a constant of the graph. */
    static OperatorFactory factory() {
        return OperatorFactory.preparing((node, opset, constants) -> {
            return new ConvIntegerOperator(node, ConstantWeights.of(node, 1, 3, constants));
        });
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor x = QuantInputs.quantized(name, "x", inputs, 0).contiguous();
        Tensor w = QuantInputs.quantized(name, "w", inputs, 1);
        Conv2dShape s = conv.shape(x.shape(), w.shape());
        int xZero = QuantInputs.scalarZeroPoint(name, "x_zero_point", inputs, 2, x.dtype());
        int[] wZero = QuantInputs.channelZeroPoints(name, "w_zero_point", inputs, 3, s.outChannels(), w.dtype());
        PackedQConvWeights packed = constantWeights == null ? null
                : constantWeights.packedFor(w, QuantInputs.optional(inputs, 3), s);
        if (packed == null) {
            packed = IntegerConv.pack(s, w, wZero);
        }
        Tensor y = Tensor.zeros(DType.INT32, IntegerConv.outputShape(s, x.shape().rank()));
        QConv2d.conv2d(s, x.byteData(), x.offset(), QuantType.signed(x.dtype()), xZero, packed, y.intData(), 0,
                context.pool());
        return new Tensor[]{y};
    }
}
