/**
 * Running a model. Start with {@link dev.sprig.core.session.Session}: {@code Session.create(model,
 * options)} runs the graph passes, creates and checks every node's operator (an unsupported operator
 * fails here, not mid-run) and packs the weights; {@code run(Map<String, Tensor>)} checks the inputs
 * and returns the named outputs. A session is thread-safe, gives bitwise the same outputs for any
 * thread count, and is {@link java.lang.AutoCloseable}. {@link dev.sprig.core.session.SessionOptions}
 * sets the threads, whether the passes run, and the arena limit.
 *
 * <p>Around it: {@link dev.sprig.core.session.BatchingSession} coalesces concurrent batch-1 calls
 * into batches; {@link dev.sprig.core.session.NodeObserver} sees every node of a run (profiling,
 * {@link dev.sprig.core.session.FlopCount}); {@link dev.sprig.core.session.MemoryPlan} is the
 * liveness-based arena placement of a run's intermediates.
 */
package dev.sprig.core.session;
