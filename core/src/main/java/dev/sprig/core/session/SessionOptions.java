package dev.sprig.core.session;

/**
 * How a {@link Session} runs: the number of threads its operators split their work over (the
 * caller plus {@code threads - 1} workers; results are bitwise the same for any count).
 */
public record SessionOptions(int threads) {

    /** Checks the values. */
    public SessionOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }

    /** One thread per available processor. */
    public static SessionOptions defaults() {
        return new SessionOptions(Runtime.getRuntime().availableProcessors());
    }

    /** These options with another thread count. */
    public SessionOptions withThreads(int n) {
        return new SessionOptions(n);
    }
}
