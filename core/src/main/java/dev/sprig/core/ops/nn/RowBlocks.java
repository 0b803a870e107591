package dev.sprig.core.ops.nn;

import dev.sprig.kernels.ThreadPool;

/**
 * Splits independent rows (planes, channels) into blocks over a thread pool. Each row is computed
 * whole by one task, so the result does not depend on the split or the thread count.
 */
final class RowBlocks {

    /** Work (floats touched) below which another thread is not worth waking. */
    private static final long MIN_WORK_PER_THREAD = 1 << 15;

    /** A block of rows: {@code [first, first + count)}. */
    @FunctionalInterface
    interface Block {
        void run(int first, int count);
    }

    private RowBlocks() {
    }

    /** Runs {@code block} over all {@code rows}, each costing about {@code workPerRow}. */
    static void run(ThreadPool pool, int rows, long workPerRow, Block block) {
        if (rows <= 0) {
            return;
        }
        int threads = (int) Math.max(1, Math.min(pool.threads(), rows * Math.max(1, workPerRow) / MIN_WORK_PER_THREAD));
        if (threads == 1) {
            block.run(0, rows);
            return;
        }
        int tasks = Math.min(rows, threads * 4);
        int per = Math.ceilDiv(rows, tasks);
        pool.parallelFor(Math.ceilDiv(rows, per), threads, t -> {
            int first = t * per;
            block.run(first, Math.min(per, rows - first));
        });
    }
}
