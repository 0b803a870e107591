package dev.sprig.core.ops.quant;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;

/**
 * ONNX {@code QuantizeLinear}: {@code y = saturate(round(x / y_scale) + y_zero_point)} with
 * round-half-to-even, per tensor, per axis (opset 13) or blocked (opset 21), into UINT8 or INT8.
 * The division is done in FLOAT, as the scale's type is FLOAT. The output type is the zero
 * point's, else the {@code output_dtype} attribute's (opset 21), else UINT8. {@code saturate}
 * (opset 19) only concerns float8 outputs, which Sprig does not have; {@code precision} (opset
 * 23) may only name FLOAT.
 */
final class QuantizeLinearOperator implements Operator {

    private final String name;
    private final int axis;
    private final int blockSize;
    private final DType outputType;

    private QuantizeLinearOperator(String name, int axis, int blockSize, DType outputType) {
        this.name = name;
        this.axis = axis;
        this.blockSize = blockSize;
        this.outputType = outputType;
    }

    /** The factory: reads axis, block_size, output_dtype and precision as the opset defines them. */
    static Operator create(Node node, int opset) {
        int axis = QuantAttributes.integer(node, "axis", 1);
        int blockSize = opset >= 21 ? QuantAttributes.integer(node, "block_size", 0) : 0;
        if (blockSize < 0) {
            throw new ModelException(node.describe() + ": attribute 'block_size' must be >= 0, got " + blockSize);
        }
        DType outputType = opset >= 21 ? QuantAttributes.quantizedType(node, "output_dtype") : null;
        if (opset >= 23) {
            QuantAttributes.requireFloatOrUnset(node, "precision");
        }
        return new QuantizeLinearOperator(node.describe(), axis, blockSize, outputType);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor x = QuantInputs.required(name, "x", inputs, 0).contiguous();
        Tensor scale = QuantInputs.required(name, "y_scale", inputs, 1).contiguous();
        Tensor zero = QuantInputs.optional(inputs, 2);
        if (x.dtype() != DType.FLOAT && x.dtype() != DType.INT32) {
            throw new IllegalArgumentException(name + ": x must be FLOAT or INT32, got " + x.dtype());
        }
        if (scale.dtype() != DType.FLOAT) {
            throw new IllegalArgumentException(name + ": y_scale must be FLOAT, got " + scale.dtype());
        }
        DType type = outputType == null ? DType.UINT8 : outputType;
        if (zero != null) {
            if (!QuantType.isQuantized(zero.dtype())) {
                throw new IllegalArgumentException(name + ": y_zero_point must be UINT8 or INT8, got " + zero.dtype());
            }
            if (outputType != null && zero.dtype() != outputType) {
                throw new IllegalArgumentException(name + ": output_dtype " + outputType
                        + " differs from the type of y_zero_point " + zero.dtype());
            }
            if (!zero.shape().equals(scale.shape())) {
                throw new IllegalArgumentException(name + ": y_zero_point " + zero.shape()
                        + " must have the shape of y_scale " + scale.shape());
            }
            type = zero.dtype();
            zero = zero.contiguous();
        }
        ScaleLayout layout = ScaleLayout.of(name, x.shape(), scale.shape(), axis, blockSize);
        int min = QuantType.min(type);
        int max = QuantType.max(type);
        boolean zeroSigned = QuantType.signed(type);
        float[] s = scale.floatData();
        int so = scale.offset();
        Tensor y = context.zeros(type, x.shape());
        byte[] out = y.byteData();
        if (scale.size() == 1 && x.dtype() == DType.FLOAT) {
            // per tensor, the common case: one tight loop, the same arithmetic as the general one
            float sc = s[so];
            int zp = zero == null ? 0 : QuantType.value(zero.byteData(), zero.offset(), zeroSigned);
            float[] xs = x.floatData();
            int off = x.offset();
            for (int i = 0; i < out.length; i++) {
                out[i] = QuantType.saturate(Math.rint(xs[off + i] / sc) + zp, min, max);
            }
            return new Tensor[]{y};
        }
        int e = 0;
        for (int o = 0; o < layout.outer; o++) {
            for (int a = 0; a < layout.axisLength; a++) {
                for (int i = 0; i < layout.inner; i++, e++) {
                    int p = layout.param(o, a, i);
                    int zp = zero == null ? 0 : QuantType.value(zero.byteData(), zero.offset() + p, zeroSigned);
                    out[e] = QuantType.saturate(Math.rint(quotient(x, e, s[so + p])) + zp, min, max);
                }
            }
        }
        return new Tensor[]{y};
    }

    /** {@code x[e] / scale}: in FLOAT for FLOAT x; an INT32 x is divided in double, as numpy promotes it. */
    private static double quotient(Tensor x, int e, float scale) {
        if (x.dtype() == DType.FLOAT) {
            return x.floatData()[x.offset() + e] / scale;
        }
        return x.intData()[x.offset() + e] / (double) scale;
    }
}
