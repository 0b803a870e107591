package dev.sprig.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Percentile and entropy thresholds against direct computations on known distributions. */
class ClippingThresholdTest {

    private static AbsHistogram histogram(float[] x, int bins) {
        float max = 0;
        for (float v : x) {
            max = Math.max(max, Math.abs(v));
        }
        AbsHistogram h = new AbsHistogram(bins, max);
        h.add(x, 0, x.length);
        return h;
    }

    @Test
    void percentileMatchesTheSortedValuesWithinOneBin() {
        Random r = new Random(7);
        float[] x = new float[100_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 2);
        }
        x[17] = 40f;
        AbsHistogram h = histogram(x, 2048);
        for (double p : new double[]{90, 99, 99.99}) {
            double t = ClippingThreshold.percentile(h.counts(), h.binWidth(), p);
            float[] abs = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                abs[i] = Math.abs(x[i]);
            }
            Arrays.sort(abs);
            double direct = abs[(int) Math.ceil(p / 100 * x.length) - 1];
            assertTrue(Math.abs(t - direct) <= h.binWidth(), "p" + p + ": histogram " + t + ", sorted " + direct);
        }
    }

    @Test
    void entropyKeepsAUniformDistributionWhole() {
        long[] counts = new long[2048];
        Arrays.fill(counts, 1000);
        double t = ClippingThreshold.entropy(counts, 1.0 / 2048, 128);
        // clipping a flat histogram piles mass into the last bin: the full range is best
        assertTrue(t >= 0.97, "threshold " + t);
    }

    @Test
    void entropyClipsRareFarOutliers() {
        Random r = new Random(3);
        float[] x = new float[200_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < 20; i++) {
            x[i] = 100f;
        }
        AbsHistogram h = histogram(x, 2048);
        double t = ClippingThreshold.entropy(h.counts(), h.binWidth(), 128);
        // the Gaussian body (|x| < ~4.5) is kept, the outliers at 100 sigma are not
        assertTrue(t > 2.5 && t < 20, "threshold " + t);
    }

    @Test
    void entropyOfDataNarrowerThanTheLevelsIsItsMaximum() {
        long[] counts = new long[2048];
        counts[0] = 5;
        counts[99] = 3;
        assertEquals(100 * 0.5, ClippingThreshold.entropy(counts, 0.5, 128), 1e-12);
        assertEquals(0, ClippingThreshold.entropy(new long[2048], 0.5, 128));
    }
}
