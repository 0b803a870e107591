package dev.sprig.core.ops.quant;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;

/**
 * ONNX {@code DynamicQuantizeLinear} (opset 11): quantizes FLOAT x to UINT8 with a scale and
 * zero point computed from the data. As the spec defines it, all in FLOAT: the range is
 * {@code [min(0, min x), max(0, max x)]} (it always contains 0, so 0 is exact),
 * {@code y_scale = (max - min) / 255} (1 when the range is empty, i.e. x is all zeros),
 * {@code y_zero_point = round(saturate(0 - min / y_scale))}, and
 * {@code y = saturate(round(x / y_scale) + y_zero_point)}, rounding half to even. Outputs y, the
 * scale (FLOAT scalar) and the zero point (UINT8 scalar).
 */
final class DynamicQuantizeLinearOperator implements Operator {

    private final String name;

    DynamicQuantizeLinearOperator(String name) {
        this.name = name;
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor x = QuantInputs.required(name, "x", inputs, 0).contiguous();
        if (x.dtype() != DType.FLOAT) {
            throw new IllegalArgumentException(name + ": x must be FLOAT, got " + x.dtype());
        }
        float[] v = x.floatData();
        int off = x.offset();
        int n = x.size();
        float lo = 0f;
        float hi = 0f;
        for (int i = 0; i < n; i++) {
            lo = Math.min(lo, v[off + i]);
            hi = Math.max(hi, v[off + i]);
        }
        float scale = hi == lo ? 1f : (hi - lo) / 255f;
        float initialZero = 0f - lo / scale;
        float zero = (float) Math.rint(Math.max(0f, Math.min(255f, initialZero)));
        Tensor y = Tensor.zeros(DType.UINT8, x.shape());
        byte[] out = y.byteData();
        for (int i = 0; i < n; i++) {
            out[i] = QuantType.saturate(Math.rint(v[off + i] / scale) + zero, 0, 255);
        }
        Tensor zeroPoint = Tensor.wrap(DType.UINT8, new byte[]{(byte) (int) zero}, Shape.scalar());
        return new Tensor[]{y, Tensor.scalar(scale), zeroPoint};
    }
}
