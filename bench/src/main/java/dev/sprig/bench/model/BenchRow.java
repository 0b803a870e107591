package dev.sprig.bench.model;

/**
 * The figures of one variant of one model on one thread count; boxed fields are null where a
 * figure does not apply ("n/a": a batch size a model with a fixed batch cannot take, an arena the
 * runtime does not report, accuracy without a labelled set) or the variant is not available.
 *
 * @param model                 model name
 * @param variant               variant name
 * @param threads               threads the runtime was given
 * @param status                null when measured, else why not (e.g. "not available: ...")
 * @param warmupRuns            runs until the timing was stable (or the warm-up time ran out)
 * @param warmupStable          whether the warm-up reached a stable timing
 * @param latency               batch-1 latency statistics
 * @param throughputBatch1      items per second of the batch-1 loop (one caller)
 * @param throughputBatch8      items per second at batch 8 (one caller)
 * @param throughputBatch32     items per second at batch 32 (one caller)
 * @param throughputClients     items per second of {@code clients} concurrent batch-1 callers on one session
 * @param clients               concurrent callers of the clients figures
 * @param clientsP99Ms          99th percentile latency of those callers' calls on one session
 * @param throughputBatched     items per second of {@code clients} concurrent batch-1 callers through a
 *                              {@link dev.sprig.core.session.BatchingSession} over one session (Sprig
 *                              variants of models with a free batch dimension only)
 * @param batchedP99Ms          99th percentile latency of the batched calls, waiting for the batch included
 * @param maxDelayMs            the batching front's maximum wait for a batch to fill
 * @param weightBytes           bytes of the weights
 * @param arenaBytes            bytes of the planned activation arena at batch 1
 * @param heapGrowthBytes       JVM heap retained after creating the session and warming it up
 * @param accuracy              top-1 accuracy on the labelled set, in [0, 1]
 * @param accuracySamples       labelled samples the accuracy was measured on
 * @param agreement             agreement with the FP32 variant's outputs
 */
public record BenchRow(String model, String variant, int threads, String status, Integer warmupRuns,
                       Boolean warmupStable, LatencyStats latency, Double throughputBatch1, Double throughputBatch8,
                       Double throughputBatch32, Double throughputClients, Integer clients, Double clientsP99Ms,
                       Double throughputBatched, Double batchedP99Ms, Double maxDelayMs, Long weightBytes,
                       Long arenaBytes, Long heapGrowthBytes, Double accuracy, Integer accuracySamples,
                       Agreement agreement) {

    /** A row for a variant that could not be measured. */
    public static BenchRow unavailable(String model, String variant, int threads, String status) {
        return new BenchRow(model, variant, threads, status, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null);
    }

    /** True when the row holds measurements. */
    public boolean measured() {
        return status == null;
    }
}
