package dev.sprig.core.session;

import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.ValueInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Dynamic batching in front of a {@link Session}: concurrent {@link #run} calls are queued, and one
 * dispatcher thread joins the waiting requests along axis 0 (the batch axis) of every input, up to
 * {@code maxBatch} rows or until the first request has waited {@code maxDelay}, runs the session
 * once, and splits each output back along axis 0, so that every caller gets exactly the rows of
 * its own request. Requests whose non-batch dimensions differ are not mixed: each batch holds
 * requests of one input signature, in arrival order.
 *
 * <p>This pays when per-run overhead and small-M GEMMs dominate (a CNN at batch 1): one batch of
 * 16 runs the GEMMs at full tile width. A model whose inputs declare a fixed batch dimension, or
 * whose outputs do not carry the batch on axis 0, cannot be batched: {@link #create} rejects it.
 *
 * <p>The wrapped session is not owned: {@link #close()} stops the dispatcher and fails the
 * requests still waiting with an {@link IllegalStateException}, and leaves the session open.
 */
public final class BatchingSession implements AutoCloseable {

    private record Request(Map<String, Tensor> inputs, int rows, String signature,
                           CompletableFuture<Map<String, Tensor>> result) {
    }

    private final Session session;
    private final int maxBatch;
    private final long maxDelayNanos;
    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Thread dispatcher;
    private volatile boolean closed;
    /** A request taken from the queue that did not fit the batch being built: first in the next one. */
    private Request carried;

    private BatchingSession(Session session, int maxBatch, Duration maxDelay) {
        this.session = session;
        this.maxBatch = maxBatch;
        this.maxDelayNanos = maxDelay.toNanos();
        this.dispatcher = new Thread(this::dispatch, "sprig-batching-dispatcher");
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    /**
     * Batching over {@code session}, at most {@code maxBatch} rows per run, the first request of a
     * batch waiting at most {@code maxDelay} for others.
     *
     * @throws IllegalArgumentException for {@code maxBatch < 1}, a negative delay, or a model with an input
     *                                  whose batch dimension is fixed
     */
    public static BatchingSession create(Session session, int maxBatch, Duration maxDelay) {
        Objects.requireNonNull(session, "session");
        if (maxBatch < 1 || maxDelay.isNegative()) {
            throw new IllegalArgumentException("maxBatch must be >= 1 and maxDelay >= 0, got " + maxBatch + " and "
                    + maxDelay);
        }
        for (ValueInfo in : session.graph().inputs()) {
            if (in.shape() == null || in.shape().isEmpty() || in.shape().get(0).isFixed()) {
                throw new IllegalArgumentException("input " + in + " has no free batch dimension on axis 0: the model"
                        + " cannot be batched");
            }
        }
        return new BatchingSession(session, maxBatch, maxDelay);
    }

    /**
     * Runs {@code inputs} (each with the batch on axis 0, the same number of rows in every input)
     * as part of a batch; returns this request's rows of every output.
     *
     * @throws IllegalArgumentException as {@link Session#run} for inputs that do not match the model,
     *                                  or when the batched run fails (the message names the node)
     * @throws IllegalStateException    after {@link #close()}
     */
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        if (closed) {
            throw new IllegalStateException("batching session is closed");
        }
        InputCheck.check(session.graph(), inputs);
        int rows = -1;
        StringBuilder signature = new StringBuilder();
        for (ValueInfo in : session.graph().inputs()) {
            Tensor t = inputs.get(in.name());
            int r = t.shape().dim(0);
            if (rows >= 0 && r != rows) {
                throw new IllegalArgumentException("every input needs the same batch size on axis 0: input '"
                        + in.name() + "' has " + r + ", an earlier one " + rows);
            }
            rows = r;
            int[] d = t.shape().dims();
            d[0] = -1;
            signature.append(in.name()).append(t.dtype()).append(java.util.Arrays.toString(d));
        }
        if (rows > maxBatch) {
            return session.run(inputs);
        }
        Request request = new Request(inputs, rows, signature.toString(), new CompletableFuture<>());
        queue.add(request);
        if (closed) {
            // close() may have drained the queue before this request arrived
            request.result().completeExceptionally(new IllegalStateException("batching session is closed"));
        }
        try {
            return request.result().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the batch", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Stops the dispatcher; waiting requests fail with IllegalStateException. Idempotent. */
    @Override
    public void close() {
        closed = true;
        dispatcher.interrupt();
        try {
            dispatcher.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Request r;
        while ((r = queue.poll()) != null) {
            r.result().completeExceptionally(new IllegalStateException("batching session is closed"));
        }
    }

    private void dispatch() {
        try {
            while (!closed) {
                Request first = carried != null ? carried : queue.take();
                carried = null;
                List<Request> batch = new ArrayList<>();
                batch.add(first);
                int rows = first.rows();
                long deadline = System.nanoTime() + maxDelayNanos;
                while (rows < maxBatch) {
                    Request next = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    if (!next.signature().equals(first.signature()) || rows + next.rows() > maxBatch) {
                        carried = next;
                        break;
                    }
                    batch.add(next);
                    rows += next.rows();
                }
                execute(batch, rows);
            }
        } catch (InterruptedException e) {
            if (carried != null) {
                carried.result().completeExceptionally(new IllegalStateException("batching session is closed"));
            }
        }
    }

    private void execute(List<Request> batch, int rows) {
        try {
            if (batch.size() == 1) {
                batch.get(0).result().complete(session.run(batch.get(0).inputs()));
                return;
            }
            Map<String, Tensor> joined = new LinkedHashMap<>();
            for (ValueInfo in : session.graph().inputs()) {
                List<Tensor> parts = new ArrayList<>();
                for (Request r : batch) {
                    parts.add(r.inputs().get(in.name()));
                }
                joined.put(in.name(), Tensor.concatRows(parts));
            }
            Map<String, Tensor> out = session.run(joined);
            List<Map<String, Tensor>> split = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                split.add(new LinkedHashMap<>());
            }
            for (Map.Entry<String, Tensor> e : out.entrySet()) {
                Tensor t = e.getValue().contiguous();
                if (t.shape().rank() == 0 || t.shape().dim(0) != rows) {
                    throw new IllegalStateException("output '" + e.getKey() + "' " + t.shape() + " does not carry the"
                            + " batch of " + rows + " rows on axis 0: this model cannot be batched");
                }
                int row = 0;
                for (int i = 0; i < batch.size(); i++) {
                    split.get(i).put(e.getKey(), rows(t, row, batch.get(i).rows()));
                    row += batch.get(i).rows();
                }
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(split.get(i));
            }
        } catch (RuntimeException e) {
            for (Request r : batch) {
                r.result().completeExceptionally(e);
            }
        }
    }

    /** Rows [row, row + n) of a contiguous tensor, as a copy. */
    private static Tensor rows(Tensor t, int row, int n) {
        int[] dims = t.shape().dims();
        int per = dims[0] == 0 ? 0 : t.size() / dims[0];
        dims[0] = n;
        Shape shape = Shape.of(dims);
        Tensor out = Tensor.zeros(t.dtype(), shape);
        System.arraycopy(t.array(), t.offset() + row * per, out.array(), 0, n * per);
        return out;
    }
}
