package dev.sprig.bench.model;

import java.util.Arrays;

/**
 * Runs an operation until its time per run is stable: in windows of {@link #WINDOW} runs, until
 * the median of a window is within {@link #TOLERANCE} of the previous window's median (the JIT has
 * finished compiling the hot paths), or a time limit is reached. Java engines need this; how many
 * runs it took is itself a reported figure.
 */
final class WarmUp {

    /** Runs per window. */
    static final int WINDOW = 5;
    /** Relative change of the window median below which the timing counts as stable. */
    static final double TOLERANCE = 0.05;

    /** How the warm-up ended: runs made, and whether it was stable (false: stopped by the time limit). */
    record Result(int runs, boolean stable) {
    }

    private WarmUp() {
    }

    /** Warms {@code operation} up, spending at most about {@code maxMillis} (at least two windows). */
    static Result run(Runnable operation, long maxMillis) {
        long deadline = System.nanoTime() + maxMillis * 1_000_000L;
        long previous = -1;
        int runs = 0;
        long[] window = new long[WINDOW];
        while (true) {
            for (int i = 0; i < WINDOW; i++) {
                long start = System.nanoTime();
                operation.run();
                window[i] = System.nanoTime() - start;
                runs++;
            }
            long[] sorted = window.clone();
            Arrays.sort(sorted);
            long median = sorted[WINDOW / 2];
            if (previous > 0 && Math.abs(median - previous) <= TOLERANCE * previous) {
                return new Result(runs, true);
            }
            if (previous > 0 && System.nanoTime() > deadline) {
                return new Result(runs, false);
            }
            previous = median;
        }
    }
}
