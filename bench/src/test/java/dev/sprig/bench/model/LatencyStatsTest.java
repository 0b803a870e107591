package dev.sprig.bench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyStatsTest {

    /**
     * The nearest-rank percentile from its definition, without the rank formula: the smallest
     * sample such that at least p% of all samples are at or below it.
     */
    private static long byDefinition(long[] samples, double p) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        for (long candidate : sorted) {
            int atOrBelow = 0;
            for (long s : samples) {
                atOrBelow += s <= candidate ? 1 : 0;
            }
            if (100.0 * atOrBelow >= p * samples.length) {
                return candidate;
            }
        }
        throw new AssertionError("unreachable");
    }

    @Test
    void percentilesMatchTheDefinitionOnRandomSamples() {
        SplittableRandom r = new SplittableRandom(7);
        for (int n : new int[]{1, 2, 3, 10, 99, 100, 101, 997}) {
            long[] samples = new long[n];
            for (int i = 0; i < n; i++) {
                samples[i] = r.nextLong(1, 50_000_000);
            }
            long[] before = samples.clone();
            LatencyStats s = LatencyStats.of(samples);
            assertEquals(byDefinition(samples, 50) / 1e6, s.p50Ms(), 0, "p50 of " + n);
            assertEquals(byDefinition(samples, 90) / 1e6, s.p90Ms(), 0, "p90 of " + n);
            assertEquals(byDefinition(samples, 99) / 1e6, s.p99Ms(), 0, "p99 of " + n);
            assertEquals(Arrays.stream(samples).max().orElseThrow() / 1e6, s.maxMs(), 0, "max of " + n);
            assertEquals(Arrays.stream(samples).average().orElseThrow() / 1e6, s.meanMs(), 1e-9, "mean of " + n);
            assertEquals(n, s.runs());
            assertEquals(Arrays.toString(before), Arrays.toString(samples), "the samples must not be reordered");
        }
    }

    @Test
    void hundredSamplesGiveTheWorkedNearestRankValues() {
        long[] samples = new long[100];
        for (int i = 0; i < 100; i++) {
            samples[i] = (100 - i) * 1_000_000L; // 100 ms down to 1 ms
        }
        LatencyStats s = LatencyStats.of(samples);
        assertEquals(50, s.p50Ms(), 0);
        assertEquals(90, s.p90Ms(), 0);
        assertEquals(99, s.p99Ms(), 0);
        assertEquals(100, s.maxMs(), 0);
    }

    @Test
    void noSamplesIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> LatencyStats.of(new long[0]));
    }
}
