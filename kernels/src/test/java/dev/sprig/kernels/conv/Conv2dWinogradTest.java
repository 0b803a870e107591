package dev.sprig.kernels.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.gemm.Epilogue;
import dev.sprig.kernels.testing.FloatData;
import dev.sprig.kernels.testing.Tolerance;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Winograd F(2x2,3x3) against the direct loops of {@link dev.sprig.kernels.reference.Conv2d}: the
 * error must stay within {@value #BOUND_FACTOR} times the direct GEMM's bound for the same
 * reduction ({@link Tolerance#allowed}), because the transforms scale the terms (inputs by up to 4,
 * filters by up to 9/4, outputs summed over 9 products); the worst ratio seen is printed. Random
 * geometries: channels around the vector widths, odd and tiny images (1 pixel, odd sizes that leave
 * half-empty tiles), asymmetric pads 0..2, batch 2, bias and activations; 1, 2 and 3 threads bitwise
 * equal.
 */
class Conv2dWinogradTest {

    private static final double BOUND_FACTOR = 16;
    private static final ThreadPool TWO = ThreadPool.create(2);
    private static final ThreadPool THREE = ThreadPool.create(3);

    @AfterAll
    static void closePools() {
        TWO.close();
        THREE.close();
    }

    @Test
    void matchesTheDirectConvolutionWithinItsBound() {
        SplittableRandom r = new SplittableRandom(2026);
        double worst = 0;
        for (int trial = 0; trial < 150; trial++) {
            int c = r.nextInt(4) == 0 ? r.nextInt(30, 70) : r.nextInt(1, 20);
            int m = r.nextInt(4) == 0 ? r.nextInt(30, 70) : r.nextInt(1, 20);
            int h = r.nextInt(1, 20);
            int w = r.nextInt(1, 20);
            int[] p = {r.nextInt(3), r.nextInt(3), r.nextInt(3), r.nextInt(3)};
            if (h + p[0] + p[2] < 3 || w + p[1] + p[3] < 3) {
                continue;
            }
            int n = r.nextInt(4) == 0 ? 2 : 1;
            Conv2dShape s = new Conv2dShape(n, c, h, w, m, 3, 3, 1, 1, 1, 1, p[0], p[1], p[2], p[3], 1);
            long seed = r.nextLong();
            float[] x = FloatData.uniform(seed, s.inputSize());
            float[] wt = FloatData.uniform(seed + 1, s.weightSize());
            float[] bias = FloatData.uniform(seed + 2, m);
            Epilogue e = switch (trial % 3) {
                case 0 -> Epilogue.NONE;
                case 1 -> Epilogue.biasPerRow(bias, 0).relu();
                default -> Epilogue.biasPerRow(bias, 0).clip(-0.5f, 0.5f);
            };
            float[] expected = new float[s.outputSize()];
            dev.sprig.kernels.reference.Conv2d.conv2d(s, x, 0, wt, 0, expected, 0, e);
            Conv2dWinograd.Filters u = Conv2dWinograd.transformWeights(s, wt, 0);
            float[] got = new float[s.outputSize()];
            Conv2dWinograd.conv2d(s, x, 0, u, got, 0, e, ThreadPool.SERIAL);
            String where = s + " " + e + " seed " + seed;
            int k = 9 * c;
            // sum|terms| of each output bounded by the largest: |x|, |w| <= 1 and the bias
            double sumAbs = k + 1;
            for (int i = 0; i < expected.length; i++) {
                double d = Math.abs((double) expected[i] - got[i]);
                double ratio = d / Tolerance.allowed(k, sumAbs);
                worst = Math.max(worst, ratio);
                int at = i;
                assertTrue(ratio <= BOUND_FACTOR, () -> where + " [" + at + "]: expected " + expected[at] + ", got "
                        + got[at] + ", " + ratio + " x the direct bound");
            }
            float[] two = new float[s.outputSize()];
            float[] three = new float[s.outputSize()];
            Conv2dWinograd.conv2d(s, x, 0, u, two, 0, e, TWO);
            Conv2dWinograd.conv2d(s, x, 0, u, three, 0, e, THREE);
            assertArrayEquals(got, two, where + ": 1 vs 2 threads");
            assertArrayEquals(got, three, where + ": 1 vs 3 threads");
        }
        System.out.printf("Winograd F(2x2,3x3): worst error %.3f x the direct GEMM bound (limit %.0f)%n", worst,
                BOUND_FACTOR);
    }

    @Test
    void rejectsShapesItDoesNotCompute() {
        Conv2dShape strided = Conv2dShape.of(1, 4, 8, 8, 4, 3, 2, 1, 1);
        assertThrows(IllegalArgumentException.class, () -> Conv2dWinograd.transformWeights(strided, new float[144], 0));
        Conv2dShape grouped = Conv2dShape.of(1, 4, 8, 8, 4, 3, 1, 1, 2);
        assertThrows(IllegalArgumentException.class,
                () -> Conv2dWinograd.conv2d(grouped, new float[256], 0, null, new float[256], 0, Epilogue.NONE,
                        ThreadPool.SERIAL));
    }
}
