package dev.sprig.core.ops.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Attribute;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OperatorRegistry;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * QuantizeLinear, DequantizeLinear and DynamicQuantizeLinear against values worked out by hand
 * from the spec (ties to even, saturation at both ends) and against a readable per-element loop
 * for per-axis and blocked scales.
 */
class QuantizeDequantizeTest {

    @Test
    void quantizeRoundsHalfToEvenAndSaturatesUint8() {
        // x / 2 = 0.5, 1.5, 2.5, -0.5, -1.5, 500, -500, 0 -> 0, 2, 2, -0, -2 (+128), then saturation
        Tensor x = Tensor.of(new float[]{1, 3, 5, -1, -3, 1000, -1000, 0}, 8);
        Tensor y = QuantNode.op("QuantizeLinear", 13).run(x, Tensor.scalar(2f), uint8(128))[0];
        assertEquals(DType.UINT8, y.dtype());
        assertArrayEquals(new double[]{128, 130, 130, 128, 126, 255, 0, 128}, y.toDoubleArray());
    }

    @Test
    void quantizeRoundsHalfToEvenAndSaturatesInt8() {
        // x / 0.5 = 0.5, 1.5, -0.5, -1.5, 200, -200, 2.5 -> 0, 2, 0, -2, sat, sat, 2; plus -3
        Tensor x = Tensor.of(new float[]{0.25f, 0.75f, -0.25f, -0.75f, 100, -100, 1.25f}, 7);
        Tensor zero = Tensor.wrap(DType.INT8, new byte[]{-3}, Shape.scalar());
        Tensor y = QuantNode.op("QuantizeLinear", 10).run(x, Tensor.scalar(0.5f), zero)[0];
        assertEquals(DType.INT8, y.dtype());
        assertArrayEquals(new double[]{-3, -1, -3, -5, 127, -128, -1}, y.toDoubleArray());
    }

    @Test
    void quantizeWithoutZeroPointIsUint8OrOutputDtype() {
        Tensor x = Tensor.of(new float[]{-1, 0.5f, 1.5f, 300}, 4);
        assertArrayEquals(new double[]{0, 0, 2, 255},
                QuantNode.op("QuantizeLinear", 13).run(x, Tensor.scalar(1f))[0].toDoubleArray());
        Tensor y = QuantNode.op("QuantizeLinear", 21).attr("output_dtype", DType.INT8.onnxCode())
                .run(x, Tensor.scalar(1f))[0];
        assertEquals(DType.INT8, y.dtype());
        assertArrayEquals(new double[]{-1, 0, 2, 127}, y.toDoubleArray());
    }

    @Test
    void perAxisAndBlockedScalesMatchAnElementLoop() {
        SplittableRandom r = new SplittableRandom(5);
        for (int trial = 0; trial < 60; trial++) {
            int[] dims = {1 + r.nextInt(3), 1 + r.nextInt(5), 1 + r.nextInt(4)};
            int axis = r.nextInt(3);
            int block = r.nextBoolean() ? 0 : 1 + r.nextInt(3);
            boolean signed = r.nextBoolean();
            int[] scaleDims = block == 0 ? new int[]{dims[axis]} : dims.clone();
            if (block > 0) {
                scaleDims[axis] = Math.ceilDiv(dims[axis], block);
            }
            Shape xs = Shape.of(dims);
            Shape ss = Shape.of(scaleDims);
            float[] x = new float[xs.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (r.nextDouble(-40, 40));
            }
            float[] scale = new float[ss.size()];
            byte[] zero = new byte[ss.size()];
            for (int i = 0; i < scale.length; i++) {
                scale[i] = (float) r.nextDouble(0.05, 0.5);
                zero[i] = (byte) (signed ? r.nextInt(-128, 128) : r.nextInt(256));
            }
            Tensor zt = Tensor.wrap(signed ? DType.INT8 : DType.UINT8, zero, ss);
            QuantNode q = QuantNode.op("QuantizeLinear", 21).attr("axis", axis).attr("block_size", block);
            Tensor y = q.run(Tensor.of(x, dims), Tensor.of(scale, scaleDims), zt)[0];
            QuantNode dq = QuantNode.op("DequantizeLinear", 21).attr("axis", axis).attr("block_size", block);
            Tensor back = dq.run(y, Tensor.of(scale, scaleDims), zt)[0];
            int lo = signed ? -128 : 0;
            int hi = signed ? 127 : 255;
            for (int i0 = 0; i0 < dims[0]; i0++) {
                for (int i1 = 0; i1 < dims[1]; i1++) {
                    for (int i2 = 0; i2 < dims[2]; i2++) {
                        int[] at = {i0, i1, i2};
                        int[] p = at.clone();
                        p[axis] = block == 0 ? at[axis] : at[axis] / block;
                        int[] sAt = block == 0 ? new int[]{at[axis]} : p;
                        float s = Tensor.of(scale, scaleDims).getFloat(sAt);
                        long z = zt.getLong(sAt);
                        double expected = Math.min(hi, Math.max(lo, Math.rint(x[(i0 * dims[1] + i1) * dims[2] + i2] / s) + z));
                        assertEquals(expected, y.getLong(at), "trial " + trial + " at " + java.util.Arrays.toString(at));
                        assertEquals((float) (expected - z) * s, back.getFloat(at), 0f, "dequantized, trial " + trial);
                    }
                }
            }
        }
    }

    @Test
    void dequantizePerAxisInt32AndInt8() {
        Tensor x = Tensor.ofInt8(new byte[]{-128, 0, 127, 5, -5, 10}, 2, 3);
        Tensor scale = Tensor.of(new float[]{0.5f, 2f, 0.25f}, 3);
        Tensor zero = Tensor.ofInt8(new byte[]{0, -2, 1}, 3);
        Tensor y = QuantNode.op("DequantizeLinear", 13).attr("axis", 1).run(x, scale, zero)[0];
        assertArrayEquals(new double[]{-64, 4, 31.5, 2.5, -6, 2.25}, y.toDoubleArray());
        Tensor acc = Tensor.of(new int[]{-1000, 7}, 2);
        assertArrayEquals(new double[]{-250, 1.75},
                QuantNode.op("DequantizeLinear", 10).run(acc, Tensor.scalar(0.25f))[0].toDoubleArray());
    }

    @Test
    void dynamicQuantizeTakesTheRangeWithZero() {
        // range [-3, 2.1]: scale 5.1 / 255 = 0.02, zero point round(3 / 0.02) = 150
        float[] x = {0, 2.1f, -3, 1, -0.01f, 0.01f};
        Tensor[] out = QuantNode.op("DynamicQuantizeLinear", 11).outputs(3).run(Tensor.of(x, 6));
        float scale = (2.1f - -3f) / 255f;
        float zero = (float) Math.rint(Math.max(0, Math.min(255, 0f - -3f / scale)));
        assertEquals(scale, out[1].getFloat(), 0f);
        assertEquals(Shape.scalar(), out[1].shape());
        assertEquals(150, zero);
        assertEquals(150, out[2].getLong());
        double[] expected = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            expected[i] = Math.min(255, Math.max(0, Math.rint(x[i] / scale) + zero));
        }
        assertArrayEquals(expected, out[0].toDoubleArray());
        assertEquals(255, out[0].getLong(1));
        assertEquals(0, out[0].getLong(2));
    }

    @Test
    void dynamicQuantizeOfPositiveAndOfZeroData() {
        Tensor[] pos = QuantNode.op("DynamicQuantizeLinear", 11).outputs(3).run(Tensor.of(new float[]{1, 2, 5.1f}, 3));
        assertEquals(0, pos[2].getLong());
        assertEquals(255, pos[0].getLong(2));
        Tensor[] zeros = QuantNode.op("DynamicQuantizeLinear", 11).outputs(3).run(Tensor.of(new float[]{0, 0}, 2));
        assertEquals(1f, zeros[1].getFloat(), 0f);
        assertEquals(0, zeros[2].getLong());
        assertArrayEquals(new double[]{0, 0}, zeros[0].toDoubleArray());
    }

    @Test
    void badScalesAndAttributesAreRejected() {
        Tensor x = Tensor.of(new float[6], 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QuantNode.op("QuantizeLinear", 13).attr("axis", 1).run(x, Tensor.of(new float[]{1, 1}, 2)));
        assertEquals(true, e.getMessage().contains("per-axis scale must be a vector of 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QuantNode.op("QuantizeLinear", 21).attr("block_size", 2)
                .run(x, Tensor.of(new float[6], 2, 3)));
        Node node = new Node("q", "QuantizeLinear", "", List.of("x", "s"), List.of("y"),
                Map.of("output_dtype", Attribute.of("output_dtype", 1L)));
        ModelException m = assertThrows(ModelException.class, () -> OperatorRegistry.standard().create(node, 21));
        assertEquals(true, m.getMessage().contains("'q'"), m.getMessage());
    }

    static Tensor uint8(int v) {
        return Tensor.wrap(DType.UINT8, new byte[]{(byte) v}, Shape.scalar());
    }
}
