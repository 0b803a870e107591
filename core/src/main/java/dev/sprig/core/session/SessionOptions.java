package dev.sprig.core.session;

/**
 * How a {@link Session} runs: the number of threads its operators split their work over (the
 * caller plus {@code threads - 1} workers; results are bitwise the same for any count), and
 * whether the graph passes (folding, fusion; {@link dev.sprig.core.passes.GraphOptimizer}) run at
 * creation; without them the graph runs node for node as the model states it.
 */
public record SessionOptions(int threads, boolean optimize) {

    /** Checks the values. */
    public SessionOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }

    /** One thread per available processor. */
    public static SessionOptions defaults() {
        return new SessionOptions(Runtime.getRuntime().availableProcessors(), true);
    }

    /** Optimised, on {@code threads} threads. */
    public static SessionOptions threads(int threads) {
        return new SessionOptions(threads, true);
    }

    /** These options with another thread count. */
    public SessionOptions withThreads(int n) {
        return new SessionOptions(n, optimize);
    }

    /** These options with the graph passes on or off. */
    public SessionOptions withOptimize(boolean on) {
        return new SessionOptions(threads, on);
    }
}
