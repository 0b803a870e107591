package dev.sprig.core.ops.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * com.microsoft QLinearAdd and QLinearMul against ONNX Runtime's documented formula, per element
 * with numpy broadcasting: {@code C = (A_scale (A - A_zp) op B_scale (B - B_zp)) / C_scale + C_zp},
 * rounded half to even and saturated.
 */
class QLinearBinaryTest {

    @Test
    void addAndMulFollowTheFormulaWithBroadcasting() {
        SplittableRandom r = new SplittableRandom(8);
        for (int trial = 0; trial < 40; trial++) {
            DType t = r.nextBoolean() ? DType.UINT8 : DType.INT8;
            boolean mul = r.nextBoolean();
            int[] ad = {2, 3, 4};
            int[] bd = switch (trial % 3) {
                case 0 -> new int[]{2, 3, 4};
                case 1 -> new int[]{3, 1};
                default -> new int[]{};
            };
            Tensor a = IntegerProductTest.random(r, t, ad);
            Tensor b = IntegerProductTest.random(r, t, bd);
            int az = r.nextInt(t == DType.INT8 ? -128 : 0, t == DType.INT8 ? 128 : 256);
            int bz = r.nextInt(t == DType.INT8 ? -128 : 0, t == DType.INT8 ? 128 : 256);
            int cz = r.nextInt(t == DType.INT8 ? -128 : 0, t == DType.INT8 ? 128 : 256);
            float as = (float) r.nextDouble(0.01, 0.2);
            float bs = (float) r.nextDouble(0.01, 0.2);
            float cs = (float) r.nextDouble(0.05, 0.5);
            Tensor c = QuantNode.microsoft(mul ? "QLinearMul" : "QLinearAdd").run(a, Tensor.scalar(as),
                    IntegerProductTest.scalar(t, az), b, Tensor.scalar(bs), IntegerProductTest.scalar(t, bz),
                    Tensor.scalar(cs), IntegerProductTest.scalar(t, cz))[0];
            assertEquals(Shape.of(ad), c.shape());
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    for (int k = 0; k < 4; k++) {
                        long bv = switch (trial % 3) {
                            case 0 -> b.getLong(i, j, k);
                            case 1 -> b.getLong(j, 0);
                            default -> b.getLong();
                        };
                        float x = as * (a.getLong(i, j, k) - az);
                        float y = bs * (bv - bz);
                        double q = Math.rint((mul ? x * y : x + y) / cs) + cz;
                        long expected = (long) Math.min(t == DType.INT8 ? 127 : 255,
                                Math.max(t == DType.INT8 ? -128 : 0, q));
                        assertEquals(expected, c.getLong(i, j, k), "trial " + trial);
                    }
                }
            }
        }
    }
}
