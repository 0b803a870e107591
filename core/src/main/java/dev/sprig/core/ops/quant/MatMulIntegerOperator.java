package dev.sprig.core.ops.quant;

import dev.sprig.core.Tensor;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import dev.sprig.core.ops.OperatorFactory;
import dev.sprig.kernels.int8.PackedQMatrix;

/**
 * ONNX {@code MatMulInteger} (opset 10): the exact INT32 product
 * {@code (A - a_zero_point) x (B - b_zero_point)} of UINT8/INT8 tensors with MatMul's
 * broadcasting. {@code a_zero_point} is one value or one per row of A; {@code b_zero_point} one
 * value or one per column of B; each has its operand's type and defaults to 0. A constant 2-D B
 * (a weight, as in dynamically quantized transformers) is packed for the GEMM once, at load,
 * with its zero points when those are constant too.
 */
final class MatMulIntegerOperator implements Operator {

    private final String name;
    /** B packed at load, or null. */
    private final Tensor packedFrom;
    private final Tensor packedZero;
    private final PackedQMatrix packed;

    private MatMulIntegerOperator(String name, Tensor packedFrom, Tensor packedZero, PackedQMatrix packed) {
        this.name = name;
        this.packedFrom = packedFrom;
        this.packedZero = packedZero;
        this.packed = packed;
    }

    /** The factory: a constant B is packed once. */
    static OperatorFactory factory() {
        return OperatorFactory.preparing((node, opset, constants) -> {
            Tensor b = node.hasInput(1) ? constants.get(node.inputs().get(1)) : null;
            Tensor zero = node.hasInput(3) ? constants.get(node.inputs().get(3)) : null;
            boolean zeroKnown = !node.hasInput(3) || zero != null;
            if (b == null || !zeroKnown || !QuantType.isQuantized(b.dtype()) || b.shape().rank() != 2) {
                return new MatMulIntegerOperator(node.describe(), null, null, null);
            }
            int[] bZero;
            try {
                bZero = zeroPoints(node.describe(), "b_zero_point", zero, b);
            } catch (IllegalArgumentException e) {
                // reported with the run's inputs, by the unpacked path
                return new MatMulIntegerOperator(node.describe(), null, null, null);
            }
            int n = b.shape().dim(1);
            if (bZero.length != 1 && bZero.length != n) {
                return new MatMulIntegerOperator(node.describe(), null, null, null);
            }
            Tensor bc = b.contiguous();
            PackedQMatrix p = PackedQMatrix.pack(b.shape().dim(0), n, bc.byteData(), bc.offset(), n,
                    QuantType.signed(b.dtype()), bZero);
            return new MatMulIntegerOperator(node.describe(), b, zero, p);
        });
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor a = QuantInputs.quantized(name, "A", inputs, 0);
        Tensor b = QuantInputs.quantized(name, "B", inputs, 1);
        int[] aZero = zeroPoints(name, "a_zero_point", QuantInputs.optional(inputs, 2), a);
        Tensor bZeroTensor = QuantInputs.optional(inputs, 3);
        if (packed != null && b == packedFrom && bZeroTensor == packedZero && aZero.length == 1) {
            return new Tensor[]{IntegerMatMul.multiply(name, a, aZero[0], packed, context.pool())};
        }
        int[] bZero = zeroPoints(name, "b_zero_point", bZeroTensor, b);
        return new Tensor[]{IntegerMatMul.multiply(name, a, aZero, b, bZero, context.pool())};
    }

    /** The zero point's values (one, or one per row / column; checked by the product), {0} when omitted. */
    static int[] zeroPoints(String node, String what, Tensor zero, Tensor operand) {
        if (zero == null) {
            return new int[]{0};
        }
        if (zero.dtype() != operand.dtype()) {
            throw new IllegalArgumentException(node + ": " + what + " must have its operand's type "
                    + operand.dtype() + ", got " + zero.dtype());
        }
        Tensor c = zero.contiguous();
        int[] out = new int[c.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = QuantType.value(c.byteData(), c.offset() + i, QuantType.signed(c.dtype()));
        }
        return out;
    }
}
