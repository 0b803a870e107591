package dev.sprig.kernels.reduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.sprig.kernels.KernelBackend;
import dev.sprig.kernels.KernelProvider;
import dev.sprig.kernels.ScalarBackend;
import dev.sprig.kernels.testing.EdgeSizes;
import dev.sprig.kernels.testing.FloatData;
import dev.sprig.kernels.testing.Tolerance;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/**
 * LayerNormalization of the backend in use against the reference
 * ({@link dev.sprig.kernels.reference.Normalization}): rows around every vector width, offsets, with
 * and without scale and bias, rows with a large mean against a small spread, constant rows (zero
 * variance), several epsilons, special values. The bound follows the error of each term: the mean
 * (summed over cols), the inverse deviation (a second sum over cols) and the final affine step.
 */
class LayerNormPropertyTest {

    private static final KernelBackend FAST = KernelProvider.backend();
    private static final NormKernels REF = ScalarBackend.INSTANCE.norm();
    private static final int EXAMPLES = Integer.getInteger("sprig.test.examples", 300);
    private static final float[] EPSILONS = {1e-5f, 1e-12f, 1e-3f, 0.5f};

    /** One call derived from the width and the seed. */
    private record Case(int rows, int cols, int off, float epsilon, float[] x, float[] scale, float[] bias, long seed) {

        static Case of(int cols, int off, long seed, boolean specials) {
            SplittableRandom r = new SplittableRandom(seed);
            int rows = r.nextInt(1, 4);
            float[] x = specials ? FloatData.withSpecials(seed, off + rows * cols) : FloatData.uniform(seed, off + rows * cols);
            for (int row = 0; row < rows; row++) {
                int kind = r.nextInt(8);
                float shift = kind == 0 ? 1000f : kind == 1 ? -50f : 0f;   // large mean, small spread
                float spread = kind == 2 ? 1e-3f : kind == 3 ? 30f : 1f;
                boolean constant = kind == 4;                              // zero variance
                for (int j = 0; j < cols; j++) {
                    int i = off + row * cols + j;
                    // +-MAX_VALUE sums overflow or not depending on the order: keep the order-free specials
                    if (Math.abs(x[i]) == Float.MAX_VALUE) {
                        x[i] = 1f;
                    }
                    x[i] = constant ? 0.7f : x[i] * spread + shift;
                }
            }
            float[] scale = r.nextInt(3) == 0 ? null : FloatData.uniform(seed + 5, cols + 3);
            float[] bias = r.nextInt(3) == 0 ? null : FloatData.uniform(seed + 6, cols + 3);
            return new Case(rows, cols, off, EPSILONS[r.nextInt(EPSILONS.length)], x, scale, bias, seed);
        }

        String ctx(int i) {
            return "layerNorm [" + FAST.name() + " " + FAST.vectorBits() + "-bit] rows=" + rows + " cols=" + cols
                    + " off=" + off + " epsilon=" + epsilon + " scale=" + (scale != null) + " bias=" + (bias != null)
                    + " seed=" + seed + " i=" + i;
        }
    }

    @Test
    void layerNormMatchesReferenceWithinTheBoundOfItsSums() {
        qt().withExamples(EXAMPLES).forAll(EdgeSizes.sizes(0, 800), EdgeSizes.offsets(), EdgeSizes.seeds(), Generate.booleans())
                .checkAssert((cols, off, seed, specials) -> {
                    Case c = Case.of(cols, off, seed, specials);
                    int scaleOff = c.scale() == null ? 0 : 3;
                    int biasOff = c.bias() == null ? 0 : 1;
                    float[] ref = new float[off + c.rows() * cols + 2];
                    float[] fast = new float[off + c.rows() * cols + 2];
                    REF.layerNorm(c.rows(), cols, c.epsilon(), c.x(), off, c.scale(), scaleOff, c.bias(), biasOff, ref, off);
                    FAST.norm().layerNorm(c.rows(), cols, c.epsilon(), c.x(), off, c.scale(), scaleOff, c.bias(), biasOff, fast, off);
                    for (int row = 0; row < c.rows(); row++) {
                        double sum = 0;
                        double sumAbs = 0;
                        for (int j = 0; j < cols; j++) {
                            sum += c.x()[off + row * cols + j];
                            sumAbs += Math.abs(c.x()[off + row * cols + j]);
                        }
                        double mean = sum / cols;
                        double squares = 0;
                        for (int j = 0; j < cols; j++) {
                            double d = c.x()[off + row * cols + j] - mean;
                            squares += d * d;
                        }
                        double invStd = 1 / Math.sqrt(squares / cols + c.epsilon());
                        for (int j = 0; j < cols; j++) {
                            int i = off + row * cols + j;
                            double g = c.scale() == null ? 1 : Math.abs(c.scale()[scaleOff + j]);
                            double b = c.bias() == null ? 0 : Math.abs(c.bias()[biasOff + j]);
                            // an error in the mean moves every x - mean; an error in the variance scales it
                            double terms = (Math.abs(c.x()[i] - mean) + sumAbs / cols) * invStd * g + b;
                            Tolerance.assertClose(ref[i], fast[i], cols + 4, terms, c.ctx(i));
                        }
                    }
                    for (int i = off + c.rows() * cols; i < ref.length; i++) {
                        Tolerance.assertSame(0f, fast[i], c.ctx(i) + " (guard)");
                    }
                });
    }

    @Test
    void inPlaceEqualsOutOfPlace() {
        qt().withExamples(100).forAll(EdgeSizes.sizes(1, 300), EdgeSizes.seeds()).checkAssert((cols, seed) -> {
            Case c = Case.of(cols, 0, seed, false);
            float[] expected = new float[c.rows() * cols];
            FAST.norm().layerNorm(c.rows(), cols, c.epsilon(), c.x(), 0, c.scale(), 0, c.bias(), 0, expected, 0);
            float[] inPlace = c.x().clone();
            FAST.norm().layerNorm(c.rows(), cols, c.epsilon(), inPlace, 0, c.scale(), 0, c.bias(), 0, inPlace, 0);
            for (int i = 0; i < expected.length; i++) {
                Tolerance.assertSame(expected[i], inPlace[i], c.ctx(i) + " (in place)");
            }
        });
    }

    @Test
    void handWorkedRow() {
        // x = [1, 2, 3, 4]: mean 2.5, population variance 1.25, epsilon 0 -> (x - 2.5) / sqrt(1.25)
        float[] x = {1, 2, 3, 4};
        float[] y = new float[4];
        FAST.norm().layerNorm(1, 4, 0f, x, 0, null, 0, null, 0, y, 0);
        assertArrayEquals(new float[]{-1.3416408f, -0.4472136f, 0.4472136f, 1.3416408f}, y, 1e-6f, "[" + FAST.name() + "]");
        // with scale [1, 2, 0.5, -1] and bias [0, 1, -1, 10]
        FAST.norm().layerNorm(1, 4, 0f, x, 0, new float[]{1, 2, 0.5f, -1}, 0, new float[]{0, 1, -1, 10}, 0, y, 0);
        assertArrayEquals(new float[]{-1.3416408f, 0.1055728f, -0.7763932f, 8.6583592f}, y, 1e-5f, "[" + FAST.name() + "]");
        // a large mean: the two-pass variance keeps the spread (one pass, E[x^2] - E[x]^2, would lose it)
        float[] shifted = {10001, 10002, 10003, 10004};
        FAST.norm().layerNorm(1, 4, 0f, shifted, 0, null, 0, null, 0, y, 0);
        assertArrayEquals(new float[]{-1.3416408f, -0.4472136f, 0.4472136f, 1.3416408f}, y, 1e-6f, "large mean");
    }

    @Test
    void badArgumentsFailBeforeWriting() {
        float[] y = new float[8];
        var e = assertThrows(IllegalArgumentException.class,
                () -> FAST.norm().layerNorm(2, 4, -1f, new float[8], 0, null, 0, null, 0, y, 0));
        assertTrue(e.getMessage().contains("epsilon must be finite and >= 0, got -1.0"), e.getMessage());
        var range = assertThrows(IndexOutOfBoundsException.class,
                () -> FAST.norm().layerNorm(2, 4, 1e-5f, new float[8], 0, new float[3], 0, null, 0, y, 0));
        assertTrue(range.getMessage().contains("layerNorm scale"), range.getMessage());
        assertArrayEquals(new float[8], y);
    }
}
