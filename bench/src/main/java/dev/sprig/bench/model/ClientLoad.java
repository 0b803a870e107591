package dev.sprig.bench.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Concurrent callers making the same call back to back for a fixed time: the items per second
 * they get through together, and the latency of each call as its caller saw it (for the
 * batching front, that includes the time a request waited for its batch).
 *
 * @param itemsPerSecond items (calls times items per call) per second of wall time
 * @param latency        per-call latency over every caller's calls
 */
record ClientLoad(double itemsPerSecond, LatencyStats latency) {

    /**
     * Runs {@code call} from {@code clients} platform threads until {@code millis} have passed;
     * every client finishes at least one call.
     *
     * @throws RuntimeException the first failure of a call, after every client stopped
     */
    static ClientLoad run(Runnable call, int itemsPerCall, int clients, long millis) {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        long[][] times = new long[clients][];
        int[] counts = new int[clients];
        long start = System.nanoTime();
        long deadline = start + millis * 1_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = Thread.ofPlatform().name("bench-client-" + c).start(() -> {
                long[] mine = new long[1024];
                int n = 0;
                try {
                    long now;
                    do {
                        long begin = System.nanoTime();
                        call.run();
                        now = System.nanoTime();
                        if (n == mine.length) {
                            mine = Arrays.copyOf(mine, 2 * n);
                        }
                        mine[n++] = now - begin;
                    } while (now < deadline && failure.get() == null);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
                // published to the joining thread by Thread.join
                times[client] = mine;
                counts[client] = n;
            });
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while measuring throughput", e);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failure.get() != null) {
            throw failure.get();
        }
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        for (int c = 0, at = 0; c < clients; c++) {
            System.arraycopy(times[c], 0, all, at, counts[c]);
            at += counts[c];
        }
        return new ClientLoad((double) total * itemsPerCall / seconds, LatencyStats.of(all));
    }
}
