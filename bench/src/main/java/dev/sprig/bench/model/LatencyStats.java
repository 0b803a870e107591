package dev.sprig.bench.model;

import java.util.Arrays;

/**
 * Summary of measured run times: percentiles by the nearest-rank rule (the smallest sample with at
 * least p% of the samples at or below it), the maximum and the mean, in milliseconds.
 *
 * @param runs   number of samples
 * @param p50Ms  median
 * @param p90Ms  90th percentile
 * @param p99Ms  99th percentile
 * @param maxMs  slowest sample
 * @param meanMs arithmetic mean
 */
public record LatencyStats(int runs, double p50Ms, double p90Ms, double p99Ms, double maxMs, double meanMs) {

    /**
     * Statistics of {@code nanos} (one entry per run; not modified).
     *
     * @throws IllegalArgumentException when there are no samples
     */
    public static LatencyStats of(long[] nanos) {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("latency statistics need at least one sample, got none");
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double sum = 0;
        for (long v : sorted) {
            sum += v;
        }
        return new LatencyStats(sorted.length, ms(percentile(sorted, 50)), ms(percentile(sorted, 90)),
                ms(percentile(sorted, 99)), ms(sorted[sorted.length - 1]), sum / sorted.length / 1e6);
    }

    /**
     * The nearest-rank percentile of ascending {@code sorted}: the value at rank ceil(p/100 * n),
     * 1-based, so p99 of 100 samples is the 99th smallest and the result is always a sample.
     */
    static long percentile(long[] sorted, double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        // p * n first: exact for whole percentages, so p99 of 100 samples is rank 99, not 100
        int rank = (int) Math.ceil(p * sorted.length / 100.0);
        return sorted[Math.max(rank, 1) - 1];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
