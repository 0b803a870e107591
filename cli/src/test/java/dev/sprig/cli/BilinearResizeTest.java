package dev.sprig.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;

import org.junit.jupiter.api.Test;
import org.quicktheories.generators.SourceDSL;

/** {@link BilinearResize} against the triangle filter worked out by hand. */
class BilinearResizeTest {

    @Test
    void enlargingInterpolatesBetweenPixelCentres() {
        // output centres 0.25, 0.75, 1.25, 1.75 over source centres 0.5 and 1.5; the edge taps
        // outside the image drop out, so the ends keep the edge values
        assertArrayEquals(new float[]{0f, 63.75f, 191.25f, 255f},
                BilinearResize.resize(new float[]{0, 255}, 2, 1, 4, 1), 1e-4f);
        // the same along columns
        assertArrayEquals(new float[]{0f, 63.75f, 191.25f, 255f},
                BilinearResize.resize(new float[]{0, 255}, 1, 2, 1, 4), 1e-4f);
    }

    @Test
    void shrinkingWidensTheFilterSoEveryPixelCounts() {
        // 4 -> 2: the triangle is 2 source pixels wide. Output 0 (centre 1.0) weighs pixels 0,1,2 by
        // 0.75, 0.75, 0.25; output 1 (centre 3.0) weighs pixels 1,2,3 by 0.25, 0.75, 0.75
        float[] got = BilinearResize.resize(new float[]{0, 100, 200, 40}, 4, 1, 2, 1);
        assertArrayEquals(new float[]{(75 + 50) / 1.75f, (25 + 150 + 30) / 1.75f}, got, 1e-4f);
    }

    @Test
    void theSameSizeIsTheIdentityAndAConstantStaysConstant() {
        float[] v = {3, 1, 4, 1, 5, 9};
        assertArrayEquals(v, BilinearResize.resize(v, 3, 2, 3, 2));
        qt().withExamples(200).forAll(SourceDSL.integers().between(1, 9), SourceDSL.integers().between(1, 9),
                SourceDSL.integers().between(1, 40), SourceDSL.integers().between(1, 40)).checkAssert((sw, sh, dw, dh) -> {
                    float[] c = new float[sw * sh];
                    java.util.Arrays.fill(c, 117f);
                    float[] out = BilinearResize.resize(c, sw, sh, dw, dh);
                    assertEquals(dw * dh, out.length);
                    for (float o : out) {
                        assertEquals(117f, o, 1e-3f, sw + "x" + sh + " -> " + dw + "x" + dh);
                    }
                });
    }
}
