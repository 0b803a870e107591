package dev.sprig.core.session;

/**
 * How a {@link Session} runs: the number of threads its operators split their work over (the
 * caller plus {@code threads - 1} workers; results are bitwise the same for any count), whether
 * the graph passes (folding, fusion; {@link dev.sprig.core.passes.GraphOptimizer}) run at
 * creation (without them the graph runs node for node as the model states it), and the most bytes
 * of intermediate tensors one run may hold at once ({@code maxArenaBytes}: a run that passes it
 * fails with an {@link IllegalArgumentException} naming the node, instead of exhausting the heap).
 */
public record SessionOptions(int threads, boolean optimize, long maxArenaBytes) {

    /** Checks the values. */
    public SessionOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (maxArenaBytes < 1) {
            throw new IllegalArgumentException("maxArenaBytes must be >= 1, got " + maxArenaBytes);
        }
    }

    /** {@code threads} and {@code optimize} with the default arena limit ({@link #defaultMaxArenaBytes()}). */
    public SessionOptions(int threads, boolean optimize) {
        this(threads, optimize, defaultMaxArenaBytes());
    }

    /**
     * Half the JVM's maximum heap: a run whose intermediates need more would most likely fail with
     * an OutOfMemoryError anyway, possibly in another thread; this way it fails alone, with a message.
     */
    public static long defaultMaxArenaBytes() {
        return Math.max(1, Runtime.getRuntime().maxMemory() / 2);
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
        return new SessionOptions(n, optimize, maxArenaBytes);
    }

    /** These options with the graph passes on or off. */
    public SessionOptions withOptimize(boolean on) {
        return new SessionOptions(threads, on, maxArenaBytes);
    }

    /** These options with another limit on a run's intermediate bytes. */
    public SessionOptions withMaxArenaBytes(long bytes) {
        return new SessionOptions(threads, optimize, bytes);
    }
}
