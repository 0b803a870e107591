package dev.sprig.kernels.pool;

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
 * The pooling tester: the backend in use against the reference loops
 * ({@link dev.sprig.kernels.reference.Pooling}) over random geometries derived from a seed: pads on
 * every side (some past the kernel), strides above the kernel, dilations, ceil mode on and off,
 * count_include_pad on and off, 1-pixel inputs, and input widths around every vector width. Max
 * pooling must match bitwise (NaN included); averages within the reduction bound. Failures print the
 * geometry and the seed.
 */
class PoolPropertyTest {

    private static final KernelBackend FAST = KernelProvider.backend();
    private static final PoolKernels REF = ScalarBackend.INSTANCE.pool();
    private static final int EXAMPLES = Integer.getInteger("sprig.test.examples", 300);
    /** Written past the output range: must survive every kernel. */
    private static final float GUARD = 12345.5f;

    /** One pooling call: the geometry, offsets and flags, all derived from the sizes and the seed. */
    private record Case(PoolGeometry g, boolean countIncludePad, int xOff, int yOff, long seed) {

        static Case of(int height, int width, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            // half the cases stride 1 along the row: the vectorised path
            int sw = r.nextBoolean() ? 1 : r.nextInt(2, 6);
            int sh = r.nextBoolean() ? 1 : r.nextInt(2, 5);
            int dh = r.nextInt(4) == 0 ? r.nextInt(2, 4) : 1;
            int dw = r.nextInt(4) == 0 ? r.nextInt(2, 4) : 1;
            int kh = r.nextInt(1, 6);
            int kw = r.nextInt(1, 8);
            int[] pads = new int[4];
            for (int i = 0; i < 4; i++) {
                // mostly below the kernel as in real models, sometimes up to one window wider
                pads[i] = r.nextInt(3) == 0 ? 0 : r.nextInt(0, (i % 2 == 0 ? kh : kw) + 2);
            }
            // shrink the window until it fits the padded input
            while ((kh - 1) * dh + 1 > height + pads[0] + pads[2]) {
                if (dh > 1) {
                    dh--;
                } else {
                    kh--;
                }
            }
            while ((kw - 1) * dw + 1 > width + pads[1] + pads[3]) {
                if (dw > 1) {
                    dw--;
                } else {
                    kw--;
                }
            }
            int planes = r.nextInt(1, 4);
            PoolGeometry g = new PoolGeometry(planes, height, width, kh, kw, sh, sw, dh, dw,
                    pads[0], pads[1], pads[2], pads[3], r.nextBoolean());
            return new Case(g, r.nextBoolean(), r.nextInt(0, 9), r.nextInt(0, 9), seed);
        }

        float[] input(boolean specials) {
            return specials ? FloatData.withSpecials(seed, xOff + g.inputSize()) : FloatData.uniform(seed, xOff + g.inputSize());
        }

        float[] output() {
            float[] y = new float[yOff + g.outputSize() + 3];
            java.util.Arrays.fill(y, GUARD);
            return y;
        }

        String ctx(String kernel, int i) {
            return kernel + " [" + FAST.name() + " " + FAST.vectorBits() + "-bit] " + g + " countIncludePad="
                    + countIncludePad + " xOff=" + xOff + " yOff=" + yOff + " seed=" + seed + " i=" + i;
        }
    }

    @Test
    void maxPoolIsBitwiseEqualIncludingNaN() {
        qt().withExamples(EXAMPLES).forAll(EdgeSizes.sizes(1, 40), EdgeSizes.sizes(1, 150), EdgeSizes.seeds(), Generate.booleans())
                .checkAssert((h, w, seed, specials) -> {
                    Case c = Case.of(h, w, seed);
                    float[] x = c.input(specials);
                    float[] ref = c.output();
                    float[] fast = c.output();
                    REF.maxPool(c.g(), x, c.xOff(), ref, c.yOff());
                    FAST.pool().maxPool(c.g(), x, c.xOff(), fast, c.yOff());
                    for (int i = 0; i < ref.length; i++) {
                        Tolerance.assertSame(ref[i], fast[i], c.ctx("maxPool", i));
                    }
                });
    }

    @Test
    void averagePoolMatchesReferenceWithinReductionBound() {
        qt().withExamples(EXAMPLES).forAll(EdgeSizes.sizes(1, 40), EdgeSizes.sizes(1, 150), EdgeSizes.seeds(), Generate.booleans())
                .checkAssert((h, w, seed, specials) -> {
                    Case c = Case.of(h, w, seed);
                    float[] x = c.input(specials);
                    double maxAbs = 0;
                    for (int i = 0; i < x.length; i++) {
                        // +-MAX_VALUE sums overflow or not depending on the order: keep the order-free specials
                        if (Math.abs(x[i]) == Float.MAX_VALUE) {
                            x[i] = 1f;
                        }
                        if (Float.isFinite(x[i])) {
                            maxAbs = Math.max(maxAbs, Math.abs(x[i]));
                        }
                    }
                    float[] ref = c.output();
                    float[] fast = c.output();
                    REF.averagePool(c.g(), c.countIncludePad(), x, c.xOff(), ref, c.yOff());
                    FAST.pool().averagePool(c.g(), c.countIncludePad(), x, c.xOff(), fast, c.yOff());
                    // sum|window| / count <= max|x| whatever the count, so one bound serves every window
                    int k = c.g().kernelH() * c.g().kernelW();
                    for (int i = 0; i < ref.length; i++) {
                        Tolerance.assertClose(ref[i], fast[i], k, maxAbs, c.ctx("averagePool", i));
                    }
                });
    }

    @Test
    void globalMaxPoolIsBitwiseEqualIncludingNaN() {
        qt().withExamples(EXAMPLES).forAll(Generate.range(0, 5), EdgeSizes.sizes(1, 400), EdgeSizes.offsets(), EdgeSizes.seeds())
                .checkAssert((planes, size, off, seed) -> {
                    boolean specials = (seed & 1) == 0;
                    float[] x = specials ? FloatData.withSpecials(seed, off + planes * size) : FloatData.uniform(seed, off + planes * size);
                    float[] ref = new float[off + planes + 2];
                    float[] fast = new float[off + planes + 2];
                    REF.globalMaxPool(planes, size, x, off, ref, off);
                    FAST.pool().globalMaxPool(planes, size, x, off, fast, off);
                    for (int i = 0; i < ref.length; i++) {
                        Tolerance.assertSame(ref[i], fast[i], globalCtx("globalMaxPool", planes, size, off, seed, i));
                    }
                });
    }

    @Test
    void globalAveragePoolMatchesReferenceWithinReductionBound() {
        qt().withExamples(EXAMPLES).forAll(Generate.range(0, 5), EdgeSizes.sizes(1, 400), EdgeSizes.offsets(), EdgeSizes.seeds())
                .checkAssert((planes, size, off, seed) -> {
                    float[] x = FloatData.uniform(seed, off + planes * size);
                    float[] ref = new float[off + planes + 2];
                    float[] fast = new float[off + planes + 2];
                    REF.globalAveragePool(planes, size, x, off, ref, off);
                    FAST.pool().globalAveragePool(planes, size, x, off, fast, off);
                    for (int i = 0; i < ref.length; i++) {
                        double sumAbs = 0;
                        if (i >= off && i < off + planes) {
                            for (int j = 0; j < size; j++) {
                                sumAbs += Math.abs(x[off + (i - off) * size + j]);
                            }
                        }
                        Tolerance.assertClose(ref[i], fast[i], size, sumAbs / size,
                                globalCtx("globalAveragePool", planes, size, off, seed, i));
                    }
                });
    }

    @Test
    void onePixelInputsMatchTheReference() {
        qt().withExamples(100).forAll(EdgeSizes.seeds(), Generate.booleans()).checkAssert((seed, specials) -> {
            Case c = Case.of(1, 1, seed);
            float[] x = c.input(specials);
            float[] ref = c.output();
            float[] fast = c.output();
            REF.maxPool(c.g(), x, c.xOff(), ref, c.yOff());
            FAST.pool().maxPool(c.g(), x, c.xOff(), fast, c.yOff());
            float[] refAvg = c.output();
            float[] fastAvg = c.output();
            REF.averagePool(c.g(), c.countIncludePad(), x, c.xOff(), refAvg, c.yOff());
            FAST.pool().averagePool(c.g(), c.countIncludePad(), x, c.xOff(), fastAvg, c.yOff());
            for (int i = 0; i < ref.length; i++) {
                Tolerance.assertSame(ref[i], fast[i], c.ctx("maxPool 1 pixel", i));
                // one input per window: the average is that input divided by the count, exactly
                Tolerance.assertSame(refAvg[i], fastAvg[i], c.ctx("averagePool 1 pixel", i));
            }
        });
    }

    private static String globalCtx(String kernel, int planes, int size, int off, long seed, int i) {
        return kernel + " [" + FAST.name() + " " + FAST.vectorBits() + "-bit] planes=" + planes + " planeSize=" + size
                + " off=" + off + " seed=" + seed + " i=" + i;
    }
}
