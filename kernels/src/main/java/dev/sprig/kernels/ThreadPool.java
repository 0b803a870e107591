package dev.sprig.kernels;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * A fixed pool of daemon worker threads for intra-op parallelism (a session owns one). Idle
 * workers block on the executor's queue: no busy spinning.
 *
 * <p>{@link #parallelFor} hands out task indices from a shared counter; the calling thread works
 * too, and waits only for the tasks themselves, so a call made from inside a worker (nested
 * parallelism) runs on the caller and cannot deadlock on queued helpers.
 */
public final class ThreadPool implements AutoCloseable {

    /** Runs every task on the calling thread. */
    public static final ThreadPool SERIAL = new ThreadPool(1, null);

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int threads;
    private final ExecutorService executor;

    private ThreadPool(int threads, ExecutorService executor) {
        this.threads = threads;
        this.executor = executor;
    }

    /** A pool that runs {@code threads} tasks at once: the caller plus {@code threads - 1} workers. */
    public static ThreadPool create(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be >= 1, got " + threads);
        }
        if (threads == 1) {
            return SERIAL;
        }
        int pool = POOLS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        ExecutorService ex = Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Worker(r, "sprig-" + pool + "-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        return new ThreadPool(threads, ex);
    }

    /** Number of tasks that run at once. */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body.accept(i)} for every i in [0, tasks), spread over the pool, and returns when
     * all have finished. The first exception a task throws is rethrown here (others are suppressed
     * into it).
     */
    public void parallelFor(int tasks, IntConsumer body) {
        parallelFor(tasks, threads, body);
    }

    /**
     * {@link #parallelFor(int, IntConsumer)} on at most {@code maxThreads} threads (the caller
     * included): for work too small to pay for waking every worker.
     */
    public void parallelFor(int tasks, int maxThreads, IntConsumer body) {
        if (tasks <= 0) {
            return;
        }
        int helpers = Math.min(Math.min(threads, maxThreads) - 1, tasks - 1);
        if (executor == null || helpers <= 0 || Thread.currentThread() instanceof Worker) {
            for (int i = 0; i < tasks; i++) {
                body.accept(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(tasks);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable loop = () -> {
            int i;
            while ((i = next.getAndIncrement()) < tasks) {
                try {
                    body.accept(i);
                } catch (Throwable t) {
                    if (!failure.compareAndSet(null, t)) {
                        failure.get().addSuppressed(t);
                    }
                } finally {
                    done.countDown();
                }
            }
        };
        try {
            for (int h = 0; h < helpers; h++) {
                executor.execute(loop);
            }
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("thread pool is closed", e);
        }
        loop.run();
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for parallel tasks", e);
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    /** Stops the workers; idempotent. The serial pool ignores it. */
    @Override
    public void close() {
        if (executor != null) {
            executor.shutdown();
        }
    }

    private static final class Worker extends Thread {
        Worker(Runnable r, String name) {
            super(r, name);
        }
    }
}
