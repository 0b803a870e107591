package dev.sprig.kernels.reduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
 * Softmax and LogSoftmax of the backend in use against the reference
 * ({@link dev.sprig.kernels.reference.Normalization}) on rows around every vector width, offsets,
 * in place, spread-out inputs and special values (a row with NaN or +Inf, or only -Inf, is NaN in
 * both). Softmax rows must also sum to 1 within the bound of their length. Failures print the shape
 * and the seed.
 */
class SoftmaxPropertyTest {

    private static final KernelBackend FAST = KernelProvider.backend();
    private static final NormKernels REF = ScalarBackend.INSTANCE.norm();
    private static final int EXAMPLES = Integer.getInteger("sprig.test.examples", 300);

    /** Seeded input of {@code off + rows*cols} values, scaled so that some rows span many orders of magnitude. */
    private static float[] input(long seed, int size, boolean specials) {
        float[] x = specials ? FloatData.withSpecials(seed, size) : FloatData.uniform(seed, size);
        float[] scales = {1f, 4f, 30f, 100f};
        float scale = scales[new SplittableRandom(seed).nextInt(scales.length)];
        for (int i = 0; i < size; i++) {
            x[i] *= scale;
        }
        return x;
    }

    private static String ctx(String kernel, int rows, int cols, int off, boolean inPlace, long seed, int i) {
        return kernel + " [" + FAST.name() + " " + FAST.vectorBits() + "-bit] rows=" + rows + " cols=" + cols
                + " off=" + off + " inPlace=" + inPlace + " seed=" + seed + " i=" + i;
    }

    @Test
    void softmaxMatchesReferenceAndRowsSumToOne() {
        qt().withExamples(EXAMPLES).forAll(EdgeSizes.sizes(0, 600), EdgeSizes.offsets(), EdgeSizes.seeds(), Generate.booleans())
                .checkAssert((cols, off, seed, specials) -> {
                    SplittableRandom r = new SplittableRandom(seed + 1);
                    int rows = r.nextInt(1, 4);
                    boolean inPlace = r.nextBoolean();
                    float[] x = input(seed, off + rows * cols, specials);
                    float[] ref = new float[off + rows * cols + 2];
                    REF.softmax(rows, cols, x, off, ref, off);
                    float[] fast;
                    if (inPlace) {
                        fast = java.util.Arrays.copyOf(x, off + rows * cols + 2);
                        FAST.norm().softmax(rows, cols, fast, off, fast, off);
                        System.arraycopy(x, 0, ref, 0, off);
                    } else {
                        fast = new float[off + rows * cols + 2];
                        FAST.norm().softmax(rows, cols, x, off, fast, off);
                    }
                    for (int i = 0; i < ref.length; i++) {
                        Tolerance.assertClose(ref[i], fast[i], cols + 6, Math.abs(ref[i]),
                                ctx("softmax", rows, cols, off, inPlace, seed, i));
                    }
                    for (int row = 0; row < rows; row++) {
                        double sum = 0;
                        boolean finite = true;
                        for (int j = 0; j < cols; j++) {
                            sum += fast[off + row * cols + j];
                            finite &= Float.isFinite(ref[off + row * cols + j]);
                        }
                        if (finite && cols > 0) {
                            Tolerance.assertClose(1f, (float) sum, cols + 6, 1.0,
                                    ctx("softmax row sum", rows, cols, off, inPlace, seed, row));
                        }
                    }
                });
    }

    @Test
    void logSoftmaxMatchesReference() {
        qt().withExamples(EXAMPLES).forAll(EdgeSizes.sizes(0, 600), EdgeSizes.offsets(), EdgeSizes.seeds(), Generate.booleans())
                .checkAssert((cols, off, seed, specials) -> {
                    int rows = new SplittableRandom(seed + 1).nextInt(1, 4);
                    float[] x = input(seed, off + rows * cols, specials);
                    float[] ref = new float[off + rows * cols + 2];
                    float[] fast = new float[off + rows * cols + 2];
                    REF.logSoftmax(rows, cols, x, off, ref, off);
                    FAST.norm().logSoftmax(rows, cols, x, off, fast, off);
                    for (int row = 0; row < rows; row++) {
                        float max = Float.NEGATIVE_INFINITY;
                        for (int j = 0; j < cols; j++) {
                            max = Math.max(max, x[off + row * cols + j]);
                        }
                        for (int j = 0; j < cols; j++) {
                            int i = off + row * cols + j;
                            // ref = (x - max) - ln(sum): the error of ln(sum) is absolute, the subtractions relative
                            double sumAbs = 1 + 2 * Math.abs((double) ref[i]) + Math.abs((double) x[i] - max);
                            Tolerance.assertClose(ref[i], fast[i], cols + 4, sumAbs,
                                    ctx("logSoftmax", rows, cols, off, false, seed, i));
                        }
                    }
                    for (int i = off + rows * cols; i < ref.length; i++) {
                        Tolerance.assertSame(0f, fast[i], ctx("logSoftmax guard", rows, cols, off, false, seed, i));
                    }
                });
    }

    @Test
    void specialRowsFollowTheReference() {
        float inf = Float.POSITIVE_INFINITY;
        float[] x = {
            1, Float.NEGATIVE_INFINITY, 2, -inf, 0,   // -Inf entries are 0 after softmax
            1, inf, 2, 3, 4,                          // +Inf: Inf - Inf is NaN, the row is NaN
            -inf, -inf, -inf, -inf, -inf,             // only -Inf: NaN
            1, Float.NaN, 2, 3, 4,                    // NaN wins the max
            Float.MAX_VALUE, -Float.MAX_VALUE, 0, 0, Float.MAX_VALUE};
        float[] ref = new float[x.length];
        float[] fast = new float[x.length];
        REF.softmax(5, 5, x, 0, ref, 0);
        FAST.norm().softmax(5, 5, x, 0, fast, 0);
        for (int i = 0; i < x.length; i++) {
            Tolerance.assertClose(ref[i], fast[i], 11, Math.abs(ref[i]), "softmax specials [" + FAST.name() + "] i=" + i);
        }
        org.junit.jupiter.api.Assertions.assertEquals(0f, fast[1], "e^-Inf");
        org.junit.jupiter.api.Assertions.assertTrue(Float.isNaN(fast[5]) && Float.isNaN(fast[10]) && Float.isNaN(fast[15]),
                "rows with +Inf, only -Inf, or NaN are NaN");
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[]{0.5f, 0, 0, 0, 0.5f},
                java.util.Arrays.copyOfRange(fast, 20, 25), "x - max overflows to -Inf, e^-Inf = 0");
        REF.logSoftmax(5, 5, x, 0, ref, 0);
        FAST.norm().logSoftmax(5, 5, x, 0, fast, 0);
        for (int i = 0; i < x.length; i++) {
            Tolerance.assertClose(ref[i], fast[i], 9, 1 + 2 * Math.abs((double) ref[i]),
                    "logSoftmax specials [" + FAST.name() + "] i=" + i);
        }
    }

    @Test
    void onnxDocumentationExamples() {
        // the Softmax and LogSoftmax examples of the ONNX operator documentation: x = [[-1, 0, 1]]
        float[] x = {-1, 0, 1};
        float[] y = new float[3];
        FAST.norm().softmax(1, 3, x, 0, y, 0);
        assertArrayEquals(new float[]{0.09003058f, 0.24472848f, 0.66524094f}, y, 1e-7f, "softmax [" + FAST.name() + "]");
        FAST.norm().logSoftmax(1, 3, x, 0, y, 0);
        assertArrayEquals(new float[]{-2.40760596f, -1.40760596f, -0.40760596f}, y, 1e-6f, "logSoftmax [" + FAST.name() + "]");
        // softmax is shift-invariant: a large common offset changes nothing (the row max is subtracted)
        float[] big = {999, 1000, 1001};
        FAST.norm().softmax(1, 3, big, 0, y, 0);
        assertArrayEquals(new float[]{0.09003058f, 0.24472848f, 0.66524094f}, y, 1e-7f, "softmax of [999, 1000, 1001]");
    }

    @Test
    void badShapesFailBeforeWriting() {
        float[] y = new float[8];
        var e = assertThrows(IndexOutOfBoundsException.class, () -> FAST.norm().softmax(3, 3, new float[9], 0, y, 0));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("softmax y"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FAST.norm().logSoftmax(-1, 3, new float[9], 0, y, 0));
        assertArrayEquals(new float[8], y);
    }
}
