package dev.sprig.kernels.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.kernels.KernelBackend;
import dev.sprig.kernels.KernelProvider;
import org.junit.jupiter.api.Test;

/**
 * Hand-worked cases from the ONNX operator documentation (the backend node tests of MaxPool and
 * AveragePool whose data is written out), run on the backend in use: independent of the reference
 * loops. Plus the geometry's validation messages.
 */
class PoolOnnxExamplesTest {

    private static final PoolKernels POOL = KernelProvider.backend().pool();
    private static final String WHERE = " [" + KernelProvider.backend().name() + "]";

    /** 1..n as floats, row-major: the input of most spec examples. */
    private static float[] iota(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    private static PoolGeometry geometry(int h, int w, int k, int stride, int dilation, int pad, boolean ceil) {
        return new PoolGeometry(1, h, w, k, k, stride, stride, dilation, dilation, pad, pad, pad, pad, ceil);
    }

    private static float[] max(PoolGeometry g, float[] x) {
        float[] y = new float[g.outputSize()];
        POOL.maxPool(g, x, 0, y, 0);
        return y;
    }

    private static float[] average(PoolGeometry g, boolean countIncludePad, float[] x) {
        float[] y = new float[g.outputSize()];
        POOL.averagePool(g, countIncludePad, x, 0, y, 0);
        return y;
    }

    @Test
    void maxPool2dCeil() {
        // test_maxpool_2d_ceil: 4x4, kernel 3, strides 2, ceil_mode -> 2x2
        PoolGeometry g = geometry(4, 4, 3, 2, 1, 0, true);
        assertEquals(2, g.outHeight(), g.toString());
        assertArrayEquals(new float[]{11, 12, 15, 16}, max(g, iota(16)), "maxpool_2d_ceil" + WHERE);
    }

    @Test
    void maxPool2dCeilOutputSizeReduceByOne() {
        // test_maxpool_2d_ceil_output_size_reduce_by_one: 2x2, kernel 1, strides 2, ceil_mode: the
        // second window would start past the input (in the end padding, here empty) and is dropped
        PoolGeometry g = geometry(2, 2, 1, 2, 1, 0, true);
        assertEquals(1, g.outHeight(), g.toString());
        assertEquals(1, g.outWidth(), g.toString());
        assertArrayEquals(new float[]{1}, max(g, iota(4)), "maxpool_2d_ceil_output_size_reduce_by_one" + WHERE);
    }

    @Test
    void maxPool2dPrecomputedPads() {
        // test_maxpool_2d_precomputed_pads: 5x5, kernel 5, pads 2 -> 5x5
        float[] expected = {
            13, 14, 15, 15, 15,
            18, 19, 20, 20, 20,
            23, 24, 25, 25, 25,
            23, 24, 25, 25, 25,
            23, 24, 25, 25, 25};
        assertArrayEquals(expected, max(geometry(5, 5, 5, 1, 1, 2, false), iota(25)), "maxpool_2d_precomputed_pads" + WHERE);
    }

    @Test
    void maxPool2dStridesAndSameUpperPads() {
        // test_maxpool_2d_precomputed_strides: 5x5, kernel 2, strides 2 -> 2x2
        assertArrayEquals(new float[]{7, 9, 17, 19}, max(geometry(5, 5, 2, 2, 1, 0, false), iota(25)),
                "maxpool_2d_precomputed_strides" + WHERE);
        // test_maxpool_2d_precomputed_same_upper: kernel 3, strides 2, SAME_UPPER = pads 1 on every side
        assertArrayEquals(new float[]{7, 9, 10, 17, 19, 20, 22, 24, 25}, max(geometry(5, 5, 3, 2, 1, 1, false), iota(25)),
                "maxpool_2d_precomputed_same_upper" + WHERE);
    }

    @Test
    void maxPool2dDilations() {
        // test_maxpool_2d_dilations: 4x4, kernel 2, strides 1, dilations 2 -> 2x2
        assertArrayEquals(new float[]{11, 12, 15, 16}, max(geometry(4, 4, 2, 1, 2, 0, false), iota(16)),
                "maxpool_2d_dilations" + WHERE);
    }

    @Test
    void averagePool2dCeil() {
        // test_averagepool_2d_ceil: 4x4, kernel 3, strides 2, ceil_mode; the clipped windows divide by their inputs
        assertArrayEquals(new float[]{6, 7.5f, 12, 13.5f}, average(geometry(4, 4, 3, 2, 1, 0, true), false, iota(16)),
                "averagepool_2d_ceil" + WHERE);
    }

    @Test
    void averagePool2dPrecomputedPads() {
        // test_averagepool_2d_precomputed_pads: 5x5, kernel 5, pads 2, padding not counted
        float[] expected = {
            7, 7.5f, 8, 8.5f, 9,
            9.5f, 10, 10.5f, 11, 11.5f,
            12, 12.5f, 13, 13.5f, 14,
            14.5f, 15, 15.5f, 16, 16.5f,
            17, 17.5f, 18, 18.5f, 19};
        assertArrayEquals(expected, average(geometry(5, 5, 5, 1, 1, 2, false), false, iota(25)), 1e-5f,
                "averagepool_2d_precomputed_pads" + WHERE);
    }

    @Test
    void averagePool2dPrecomputedPadsCountIncludePad() {
        // test_averagepool_2d_precomputed_pads_count_include_pad: every window divides by 25
        float[] expected = {
            2.52f, 3.6f, 4.8f, 4.08f, 3.24f,
            4.56f, 6.4f, 8.4f, 7.04f, 5.52f,
            7.2f, 10f, 13f, 10.8f, 8.4f,
            6.96f, 9.6f, 12.4f, 10.24f, 7.92f,
            6.12f, 8.4f, 10.8f, 8.88f, 6.84f};
        assertArrayEquals(expected, average(geometry(5, 5, 5, 1, 1, 2, false), true, iota(25)), 1e-5f,
                "averagepool_2d_precomputed_pads_count_include_pad" + WHERE);
    }

    @Test
    void averagePool2dStridesSameUpperAndDilations() {
        // test_averagepool_2d_precomputed_strides: 5x5, kernel 2, strides 2
        assertArrayEquals(new float[]{4, 6, 14, 16}, average(geometry(5, 5, 2, 2, 1, 0, false), false, iota(25)),
                "averagepool_2d_precomputed_strides" + WHERE);
        // test_averagepool_2d_precomputed_same_upper: kernel 3, strides 2, pads 1 (not counted)
        assertArrayEquals(new float[]{4, 5.5f, 7, 11.5f, 13, 14.5f, 19, 20.5f, 22},
                average(geometry(5, 5, 3, 2, 1, 1, false), false, iota(25)), "averagepool_2d_precomputed_same_upper" + WHERE);
        // test_averagepool_2d_dilations: 4x4, kernel 2, strides 1, dilations 2, ceil_mode
        assertArrayEquals(new float[]{6, 7, 10, 11}, average(geometry(4, 4, 2, 1, 2, 0, true), false, iota(16)),
                "averagepool_2d_dilations" + WHERE);
    }

    @Test
    void averagePool2dCeilLastWindowStartsOnPad() {
        // test_averagepool_2d_ceil_last_window_starts_on_pad: 2x2, kernel 3, strides 3, pads 1, ceil_mode,
        // count_include_pad: ceil((2 + 2 - 3) / 3) + 1 = 2, but the second window would start at 3, in the
        // end padding, so the output is 1x1; its window [-1, 2) lies inside the padded input: 9 taps counted
        PoolGeometry g = geometry(2, 2, 3, 3, 1, 1, true);
        assertEquals(1, g.outHeight(), g.toString());
        assertEquals(1, g.outWidth(), g.toString());
        assertArrayEquals(new float[]{10f / 9}, average(g, true, iota(4)), "averagepool_2d_ceil_last_window_starts_on_pad" + WHERE);
        assertArrayEquals(new float[]{2.5f}, average(g, false, iota(4)), "the same, padding not counted" + WHERE);
    }

    @Test
    void globalPools() {
        // test_globalaveragepool_precomputed / test_globalmaxpool_precomputed: one 3x3 plane of 1..9
        float[] y = new float[2];
        float[] x = new float[18];
        System.arraycopy(iota(9), 0, x, 0, 9);
        System.arraycopy(iota(9), 0, x, 9, 9);
        x[13] = -100f;
        POOL.globalAveragePool(2, 9, x, 0, y, 0);
        assertArrayEquals(new float[]{5, (45f - 5 - 100) / 9}, y, 1e-6f, "globalaveragepool" + WHERE);
        POOL.globalMaxPool(2, 9, x, 0, y, 0);
        assertArrayEquals(new float[]{9, 9}, y, "globalmaxpool" + WHERE);
    }

    @Test
    void maxPoolPropagatesNaNToEveryWindowThatHoldsIt() {
        float[] x = iota(64);
        x[3 * 8 + 4] = Float.NaN;
        float[] y = max(geometry(8, 8, 3, 1, 1, 1, false), x);
        for (int oy = 0; oy < 8; oy++) {
            for (int ox = 0; ox < 8; ox++) {
                boolean holds = Math.abs(oy - 3) <= 1 && Math.abs(ox - 4) <= 1;
                assertEquals(holds, Float.isNaN(y[oy * 8 + ox]), "NaN at (" + oy + ", " + ox + ")" + WHERE);
            }
        }
    }

    @Test
    void badGeometryNamesTheFieldTheExpectedAndTheActualValue() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new PoolGeometry(1, 4, 4, 3, 3, 0, 1, 1, 1, 0, 0, 0, 0, false));
        assertTrue(e.getMessage().contains("strideH must be >= 1, got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new PoolGeometry(1, 4, 4, 3, 3, 1, 1, 1, 1, 0, -1, 0, 0, false));
        assertTrue(e.getMessage().contains("padLeft must be >= 0, got -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new PoolGeometry(1, 2, 4, 2, 2, 1, 1, 3, 1, 0, 0, 1, 0, false));
        assertTrue(e.getMessage().contains("padded height") && e.getMessage().contains("extent"), e.getMessage());
        PoolGeometry g = PoolGeometry.square(2, 4, 4, 2, 2, 0, false);
        float[] y = new float[7];
        var range = assertThrows(IndexOutOfBoundsException.class, () -> POOL.maxPool(g, new float[32], 0, y, 0));
        assertTrue(range.getMessage().contains("maxPool y"), range.getMessage());
        for (float v : y) {
            assertEquals(0f, v, "no element written before the check failed");
        }
        assertThrows(IllegalArgumentException.class, () -> POOL.globalAveragePool(1, 0, new float[4], 0, y, 0));
    }
}
