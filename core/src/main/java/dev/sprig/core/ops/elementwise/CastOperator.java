package dev.sprig.core.ops.elementwise;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Tensor;
import dev.sprig.core.ops.OperatorRegistry;

/**
 * Cast (opset 6; later versions only add types Sprig does not have, and {@code saturate}, which
 * applies to float8 targets only) and CastLike (opset 15: the type of a second input), between
 * FLOAT, UINT8, INT8, INT32, INT64 and BOOL. The result is always a new tensor.
 *
 * <p>Conversions (the spec's rules where it has them, Java's casts where it leaves a case
 * undefined):
 * <ul>
 *   <li>FLOAT to an integer type: Java's narrowing cast, truncation toward zero; out-of-range
 *       values, which the spec leaves undefined, saturate to the int range (INT32) or long range
 *       (INT64), and for INT8/UINT8 saturate to the int range then keep the low 8 bits (so -1.0
 *       to UINT8 is 255, like numpy); NaN gives 0;</li>
 *   <li>integer to integer: the low bits of the two's-complement value (wrap-around); UINT8
 *       is read unsigned;</li>
 *   <li>integer to FLOAT: rounded to nearest;</li>
 *   <li>to BOOL: {@code x != 0} (NaN is true); from BOOL: 1 or 0.</li>
 * </ul>
 */
final class CastOperator {

    private CastOperator() {
    }

    static void register(OperatorRegistry r) {
        r.register("Cast", 6, (node, opset) -> {
            long code = node.requireInt("to");
            DType to;
            try {
                to = DType.fromOnnx((int) code);
            } catch (IllegalArgumentException e) {
                throw new ModelException(node.describe() + ": attribute 'to' = " + code + ": " + e.getMessage(), e);
            }
            return (in, ctx) -> new Tensor[]{cast(TypeRules.input("Cast", opset, in, 0, "input", TypeRules.ALL), to)};
        });
        r.register("CastLike", 15, (node, opset) -> (in, ctx) -> {
            Tensor x = TypeRules.input("CastLike", opset, in, 0, "input", TypeRules.ALL);
            Tensor like = TypeRules.input("CastLike", opset, in, 1, "target_type", TypeRules.ALL);
            return new Tensor[]{cast(x, like.dtype())};
        });
    }

    /** {@code x} converted to {@code to} by the rules above. */
    static Tensor cast(Tensor x, DType to) {
        if (x.dtype() != DType.FLOAT) {
            return Values.fromLongs(Values.longs(x), to, x.shape());
        }
        Tensor c = x.contiguous();
        float[] d = c.floatData();
        int off = c.offset();
        int n = c.size();
        Tensor out = Tensor.zeros(to, c.shape());
        switch (to) {
            case FLOAT -> System.arraycopy(d, off, out.floatData(), 0, n);
            case INT32 -> {
                int[] z = out.intData();
                for (int i = 0; i < n; i++) {
                    z[i] = (int) d[off + i];
                }
            }
            case INT64 -> {
                long[] z = out.longData();
                for (int i = 0; i < n; i++) {
                    z[i] = (long) d[off + i];
                }
            }
            case INT8, UINT8 -> {
                byte[] z = out.byteData();
                for (int i = 0; i < n; i++) {
                    z[i] = (byte) d[off + i];
                }
            }
            case BOOL -> {
                boolean[] z = out.booleanData();
                for (int i = 0; i < n; i++) {
                    z[i] = d[off + i] != 0;
                }
            }
        }
        return out;
    }
}
