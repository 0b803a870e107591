package dev.sprig.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import org.junit.jupiter.api.Test;

/** Activation parameters and symmetric weights against values worked out by hand. */
class QuantMathTest {

    @Test
    void activationParametersCoverTheRangeAndZero() {
        // raw MNIST pixels: 0..255 maps one to one
        QuantParams pixels = QuantParams.forRange(new TensorRange(0, 255), ActivationType.UINT8);
        assertEquals(1f, pixels.scale());
        assertEquals(0, pixels.zeroPoint());
        // [-1, 3]: scale 4/255, zero point round(1 / (4/255)) = round(63.75) = 64
        QuantParams u8 = QuantParams.forRange(new TensorRange(-1, 3), ActivationType.UINT8);
        assertEquals(4f / 255, u8.scale(), 1e-9);
        assertEquals(64, u8.zeroPoint());
        // int8: zero point -128 + 64 = -64
        QuantParams s8 = QuantParams.forRange(new TensorRange(-1, 3), ActivationType.INT8);
        assertEquals(-64, s8.zeroPoint());
        // a range above zero is widened to include it
        QuantParams positive = QuantParams.forRange(new TensorRange(2, 5), ActivationType.UINT8);
        assertEquals(5f / 255, positive.scale(), 1e-9);
        assertEquals(0, positive.zeroPoint());
        assertEquals(1f, QuantParams.forRange(new TensorRange(0, 0), ActivationType.UINT8).scale());
    }

    @Test
    void perChannelScalesAreMaxAbsOver127() {
        // 3 output channels x 4: channel 1 is all zeros
        float[] w = {0.5f, -1.27f, 0.3f, 0.01f, 0, 0, 0, 0, 2f, 1.1f, -0.5f, 0.25f};
        SymmetricWeights q = SymmetricWeights.perChannel(Tensor.of(w, 3, 4), 0);
        assertEquals(0, q.axis());
        assertArrayEquals(new float[]{1.27f / 127, 1f, 2f / 127}, q.scales(), 0f);
        assertEquals(DType.INT8, q.values().dtype());
        // 0.5 / 0.01 = 50, -127, 30, 1; then 0s; 2 / (2/127) = 127, 69.85 -> 70, -31.75 -> -32, 15.875 -> 16
        assertArrayEquals(new byte[]{50, -127, 30, 1, 0, 0, 0, 0, 127, 70, -32, 16}, q.values().byteData());
        float[] back = q.dequantize().floatData();
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i], back[i], q.scales()[i / 4] / 2 + 1e-7, "element " + i);
        }
    }

    @Test
    void matMulWeightsAreScaledPerColumn() {
        // B is [K=2, N=3]: one scale per column (axis 1)
        float[] b = {1.2f, -4f, 0.5f, -2f, 3f, 0.3f};
        SymmetricWeights q = SymmetricWeights.perChannel(Tensor.of(b, 2, 3), 1);
        assertArrayEquals(new float[]{2f / 127, 4f / 127, 0.5f / 127}, q.scales(), 0f);
        // 1.2 / (2/127) = 76.2 -> 76; -127; 127; -127; 3 / (4/127) = 95.25 -> 95; 0.3 / (0.5/127) = 76.2 -> 76
        assertArrayEquals(new byte[]{76, -127, 127, -127, 95, 76}, q.values().byteData());
        SymmetricWeights t = SymmetricWeights.perTensor(Tensor.of(b, 2, 3));
        assertArrayEquals(new float[]{4f / 127}, t.scales(), 0f);
        assertEquals(-1, t.axis());
    }
}
