package dev.sprig.core.ops.quant;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;

/**
 * ONNX {@code DequantizeLinear}: {@code y = (x - x_zero_point) * x_scale} in FLOAT, per tensor,
 * per axis (opset 13) or blocked (opset 21), from UINT8, INT8 or INT32 (INT32 has no zero point
 * other than 0). The difference is exact; the product is one FLOAT rounding, as in the spec's
 * reference. {@code output_dtype} (opset 23) may only name FLOAT.
 */
final class DequantizeLinearOperator implements Operator {

    private final String name;
    private final int axis;
    private final int blockSize;

    private DequantizeLinearOperator(String name, int axis, int blockSize) {
        this.name = name;
        this.axis = axis;
        this.blockSize = blockSize;
    }

    /** The factory: reads axis, block_size and output_dtype as the opset defines them. */
    static Operator create(Node node, int opset) {
        int axis = QuantAttributes.integer(node, "axis", 1);
        int blockSize = opset >= 21 ? QuantAttributes.integer(node, "block_size", 0) : 0;
        if (blockSize < 0) {
            throw new ModelException(node.describe() + ": attribute 'block_size' must be >= 0, got " + blockSize);
        }
        if (opset >= 23) {
            QuantAttributes.requireFloatOrUnset(node, "output_dtype");
        }
        return new DequantizeLinearOperator(node.describe(), axis, blockSize);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor x = QuantInputs.required(name, "x", inputs, 0).contiguous();
        Tensor scale = QuantInputs.required(name, "x_scale", inputs, 1).contiguous();
        Tensor zero = QuantInputs.optional(inputs, 2);
        if (!QuantType.isQuantized(x.dtype()) && x.dtype() != DType.INT32) {
            throw new IllegalArgumentException(name + ": x must be UINT8, INT8 or INT32, got " + x.dtype());
        }
        if (scale.dtype() != DType.FLOAT) {
            throw new IllegalArgumentException(name + ": x_scale must be FLOAT, got " + scale.dtype());
        }
        if (zero != null) {
            if (zero.dtype() != x.dtype()) {
                throw new IllegalArgumentException(name + ": x_zero_point must have the type of x (" + x.dtype()
                        + "), got " + zero.dtype());
            }
            if (!zero.shape().equals(scale.shape())) {
                throw new IllegalArgumentException(name + ": x_zero_point " + zero.shape()
                        + " must have the shape of x_scale " + scale.shape());
            }
            zero = zero.contiguous();
        }
        ScaleLayout layout = ScaleLayout.of(name, x.shape(), scale.shape(), axis, blockSize);
        boolean signed = QuantType.signed(x.dtype());
        float[] s = scale.floatData();
        int so = scale.offset();
        Tensor y = context.zeros(DType.FLOAT, x.shape());
        float[] out = y.floatData();
        if (scale.size() == 1 && x.dtype() != DType.INT32) {
            // per tensor, the common case: one tight loop, the same arithmetic (shufflenet-v2-12-int8's
            // 34 DequantizeLinear took 3-5 ms of a 42 ms run in the general per-element indexing)
            float sc = s[so];
            int z = zero == null ? 0 : (int) element(zero, 0, signed);
            byte[] b = x.byteData();
            int off = x.offset();
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) ((signed ? b[off + i] : b[off + i] & 0xFF) - z) * sc;
            }
            return new Tensor[]{y};
        }
        int e = 0;
        for (int o = 0; o < layout.outer; o++) {
            for (int a = 0; a < layout.axisLength; a++) {
                for (int i = 0; i < layout.inner; i++, e++) {
                    int p = layout.param(o, a, i);
                    long v = element(x, e, signed) - (zero == null ? 0 : element(zero, p, signed));
                    out[e] = (float) v * s[so + p];
                }
            }
        }
        return new Tensor[]{y};
    }

    private static long element(Tensor t, int i, boolean signed) {
        if (t.dtype() == DType.INT32) {
            return t.intData()[t.offset() + i];
        }
        return QuantType.value(t.byteData(), t.offset() + i, signed);
    }
}
