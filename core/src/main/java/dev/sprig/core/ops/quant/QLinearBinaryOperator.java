package dev.sprig.core.ops.quant;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;

/**
 * ONNX Runtime's contrib ops {@code com.microsoft:QLinearAdd} and {@code QLinearMul} (version 1):
 * the real-valued sum or product of two dequantized 8-bit tensors, quantized again, with numpy
 * broadcasting. Per ONNX Runtime's ContribOperators.md, for Add
 * {@code C = (A_scale * (A - A_zero_point) + B_scale * (B - B_zero_point)) / C_scale + C_zero_point},
 * for Mul {@code C = (A_scale * (A - A_zero_point)) * (B_scale * (B - B_zero_point)) / C_scale +
 * C_zero_point}, computed in FLOAT, rounded half to even and saturated to the type of A (A, B and
 * C share one type). Scales and zero points are per tensor; the zero points default to 0.
 */
final class QLinearBinaryOperator implements Operator {

    /** Which arithmetic joins the two dequantized operands. */
    enum Kind { ADD, MUL }

    private final String name;
    private final Kind kind;

    QLinearBinaryOperator(String name, Kind kind) {
        this.name = name;
        this.kind = kind;
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor a = QuantInputs.quantized(name, "A", inputs, 0).contiguous();
        Tensor b = QuantInputs.quantized(name, "B", inputs, 3).contiguous();
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(name + ": A and B must have one type, got " + a.dtype() + " and "
                    + b.dtype());
        }
        DType type = a.dtype();
        float aScale = QuantInputs.scalarScale(name, "A_scale", inputs, 1);
        int aZero = QuantInputs.scalarZeroPoint(name, "A_zero_point", inputs, 2, type);
        float bScale = QuantInputs.scalarScale(name, "B_scale", inputs, 4);
        int bZero = QuantInputs.scalarZeroPoint(name, "B_zero_point", inputs, 5, type);
        float cScale = QuantInputs.scalarScale(name, "C_scale", inputs, 6);
        int cZero = QuantInputs.scalarZeroPoint(name, "C_zero_point", inputs, 7, type);
        Shape out;
        try {
            out = Shape.broadcast(a.shape(), b.shape());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
        Tensor c = context.zeros(type, out);
        byte[] cv = c.byteData();
        byte[] av = a.byteData();
        byte[] bv = b.byteData();
        boolean signed = QuantType.signed(type);
        int min = QuantType.min(type);
        int max = QuantType.max(type);
        int[] aStrides = alignedStrides(a.shape(), out);
        int[] bStrides = alignedStrides(b.shape(), out);
        int[] idx = new int[out.rank()];
        int aOff = a.offset();
        int bOff = b.offset();
        for (int e = 0; e < cv.length; e++) {
            float x = aScale * (QuantType.value(av, aOff, signed) - aZero);
            float y = bScale * (QuantType.value(bv, bOff, signed) - bZero);
            float v = (kind == Kind.ADD ? x + y : x * y) / cScale;
            cv[e] = QuantType.saturate(Math.rint(v) + cZero, min, max);
            // odometer over the output, moving each operand by its (0 when broadcast) stride
            for (int axis = idx.length - 1; axis >= 0; axis--) {
                aOff += aStrides[axis];
                bOff += bStrides[axis];
                if (++idx[axis] < out.dim(axis)) {
                    break;
                }
                aOff -= aStrides[axis] * idx[axis];
                bOff -= bStrides[axis] * idx[axis];
                idx[axis] = 0;
            }
        }
        return new Tensor[]{c};
    }

    /** Contiguous strides of {@code own} aligned to the broadcast shape, 0 on the axes it broadcasts. */
    static int[] alignedStrides(Shape own, Shape out) {
        int rank = out.rank();
        int[] st = new int[rank];
        int s = 1;
        for (int i = rank - 1; i >= 0; i--) {
            int dim = own.alignedDim(i, rank);
            st[i] = dim == 1 ? 0 : s;
            s *= dim;
        }
        return st;
    }
}
