package dev.sprig.quant;

/**
 * Chooses where to clip |x| from its histogram ({@link AbsHistogram}): at a percentile, or where
 * the Kullback-Leibler divergence between the clipped histogram and its quantized version is
 * smallest (the TensorRT entropy calibration). Thresholds are upper edges of bins.
 */
public final class ClippingThreshold {

    /** Mass given to an empty bin of Q so that KL(P||Q) stays finite. */
    private static final double EPSILON = 1e-4;

    private ClippingThreshold() {
    }

    /**
     * The smallest bin edge below which at least {@code percentile}% of the counted values lie.
     *
     * @param counts   histogram counts of |x|, bin i covering [i*binWidth, (i+1)*binWidth)
     * @param binWidth width of a bin
     */
    public static double percentile(long[] counts, double binWidth, double percentile) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        if (total == 0) {
            return 0;
        }
        double target = total * (percentile / 100.0);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= target) {
                return (i + 1) * binWidth;
            }
        }
        return counts.length * binWidth;
    }

    /**
     * The threshold {@code i * binWidth}, {@code levels <= i <= counts.length}, minimising
     * KL(P || Q): P is the histogram cut at bin i with everything beyond added to its last bin
     * (clipping), Q is the first i bins merged into {@code levels} groups, each group's mass spread
     * evenly over its non-empty bins (what quantizing to {@code levels} steps keeps).
     *
     * @param levels quantization levels the threshold is spread over (128 for the positive half of
     *               int8, 256 for non-negative data on a full 8-bit range)
     */
    public static double entropy(long[] counts, double binWidth, int levels) {
        int bins = counts.length;
        if (levels > bins) {
            throw new IllegalArgumentException("the histogram has " + bins + " bins, fewer than the " + levels
                    + " quantization levels");
        }
        long total = 0;
        int lastNonEmpty = -1;
        for (int i = 0; i < bins; i++) {
            total += counts[i];
            if (counts[i] > 0) {
                lastNonEmpty = i;
            }
        }
        if (total == 0) {
            return 0;
        }
        if (lastNonEmpty < levels) {
            // everything fits in as many bins as there are levels: nothing to clip
            return (lastNonEmpty + 1) * binWidth;
        }
        double[] p = new double[bins];
        double[] q = new double[bins];
        double bestDivergence = Double.POSITIVE_INFINITY;
        int best = bins;
        long beyond = total;
        for (int i = 0; i < levels; i++) {
            beyond -= counts[i];
        }
        for (int i = levels; i <= bins; i++) {
            // p: first i bins, the mass beyond them clipped into bin i-1
            for (int k = 0; k < i; k++) {
                p[k] = counts[k];
            }
            if (i > levels) {
                beyond -= counts[i - 1];
            }
            p[i - 1] += beyond;
            // q: bins [0, i) in `levels` groups, each group's count spread over its non-empty bins
            for (int g = 0; g < levels; g++) {
                int start = (int) ((long) g * i / levels);
                int end = (int) ((long) (g + 1) * i / levels);
                long sum = 0;
                int nonEmpty = 0;
                for (int k = start; k < end; k++) {
                    sum += counts[k];
                    nonEmpty += counts[k] > 0 ? 1 : 0;
                }
                for (int k = start; k < end; k++) {
                    q[k] = counts[k] > 0 ? (double) sum / nonEmpty : 0;
                }
            }
            double d = divergence(p, q, i);
            if (d < bestDivergence) {
                bestDivergence = d;
                best = i;
            }
        }
        return best * binWidth;
    }

    /**
     * KL(P || Q) over the first n bins, both normalised; Q's empty bins get {@link #EPSILON} of
     * mass (then Q is renormalised) so that a bin P has and Q lacks costs much but not infinitely.
     * Empty bins of P add nothing (0 log 0 = 0).
     */
    private static double divergence(double[] p, double[] q, int n) {
        double pSum = 0;
        double qSum = 0;
        int qZeros = 0;
        for (int k = 0; k < n; k++) {
            pSum += p[k];
            qSum += q[k];
            qZeros += q[k] == 0 ? 1 : 0;
        }
        if (pSum == 0 || qSum == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double qNorm = 1 + EPSILON * qZeros;
        double d = 0;
        for (int k = 0; k < n; k++) {
            if (p[k] > 0) {
                double pk = p[k] / pSum;
                double qk = (q[k] == 0 ? EPSILON : q[k] / qSum) / qNorm;
                d += pk * Math.log(pk / qk);
            }
        }
        return d;
    }
}
