package dev.sprig.quant;

/**
 * A histogram of |x| over [0, limit) in equal bins; values at or beyond the limit count in the
 * last bin, NaNs nowhere, and exact zeros (in bin 0) are also counted apart. The limit is fixed first (the largest |x| of a first calibration pass) so that
 * every sample lands in the same bins.
 */
final class AbsHistogram {

    private final long[] counts;
    private final double binWidth;
    private long zeros;

    AbsHistogram(int bins, float limit) {
        this.counts = new long[bins];
        // an all-zero tensor still needs a positive width; every value then lands in bin 0
        this.binWidth = limit > 0 ? (double) limit / bins : 1.0 / bins;
    }

    void add(float[] values, int offset, int length) {
        int last = counts.length - 1;
        double inv = 1.0 / binWidth;
        for (int i = offset; i < offset + length; i++) {
            float v = values[i];
            if (Float.isNaN(v)) {
                continue;
            }
            if (v == 0) {
                zeros++;
            }
            double b = Math.abs(v) * inv;
            counts[b >= last ? last : (int) b]++;
        }
    }

    long[] counts() {
        return counts;
    }

    /**
     * The counts without the exact zeros. For the entropy search: zero is represented exactly
     * whatever the threshold, and after a ReLU the zeros are often most of the values; left in bin
     * 0 they dominate the divergence and drag the threshold far too low.
     */
    long[] countsWithoutZeros() {
        long[] c = counts.clone();
        c[0] -= zeros;
        return c;
    }

    double binWidth() {
        return binWidth;
    }
}
