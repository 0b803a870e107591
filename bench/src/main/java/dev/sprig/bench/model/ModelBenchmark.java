package dev.sprig.bench.model;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.ValueInfo;
import dev.sprig.core.session.BatchingSession;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The end-to-end benchmark of one model: for each variant and thread count, a warm-up until the
 * timing is stable, batch-1 latency percentiles, throughput at batch 1, 8 and 32, with concurrent
 * batch-1 clients on one session and (Sprig, models with a free batch dimension) the same clients
 * through a {@link BatchingSession}, weight / arena / heap memory, and accuracy on MNIST (for an
 * MNIST classifier, on the test images calibration did not use) or agreement with the FP32
 * variant's outputs. Every variant runs in the same process and run, so ratios between rows are
 * fair on a noisy machine.
 *
 * <pre>{@code
 * List<BenchRow> rows = new ModelBenchmark(config).run(BenchModel.synthetic("resnet18", 1), BenchProgress.NONE, System.out);
 * }</pre>
 */
public final class ModelBenchmark {

    /**
     * How long each measurement runs.
     *
     * @param warmupMaxMillis      the warm-up's time limit per variant and thread count
     * @param latencyMillis        time spent measuring batch-1 latency
     * @param latencyMinRuns       latency samples at least, whatever the time
     * @param throughputMillis     time per throughput figure (batch 8, batch 32, clients, batched clients)
     * @param accuracyImages       MNIST images the accuracy is measured on: the first ones, at most
     *                             the set's size less the calibration images (the last ones), so
     *                             no image a transformation was calibrated on is scored
     * @param agreementSamples     inputs the outputs are compared on
     * @param profileRuns          runs the per-op profile averages
     * @param calibrationSamples   inputs static quantization and pruning (Wanda's norms, the
     *                             least-squares refit) calibrate on
     */
    public record Timing(long warmupMaxMillis, long latencyMillis, int latencyMinRuns, long throughputMillis,
                         int accuracyImages, int agreementSamples, int profileRuns, int calibrationSamples) {

        /** About 10 s of measurement per variant and thread count. */
        public static Timing standard() {
            return new Timing(15_000, 6_000, 20, 1_500, 10_000, 8, 20, 32);
        }

        /** A smoke run: about a second per figure (noisier). */
        public static Timing quick() {
            return new Timing(3_000, 1_000, 5, 400, 1_000, 2, 3, 8);
        }
    }

    /**
     * What to run.
     *
     * @param variants  the variants, in report order
     * @param threads   thread counts
     * @param clients   concurrent callers for the clients throughput figures, and the batching
     *                  front's maximum batch
     * @param maxDelay  how long the batching front lets the first request of a batch wait for others
     * @param timing    measurement durations
     * @param profile   print time per op type for the Sprig variants
     * @param mnist     the MNIST test set, used for MNIST classifiers (null: none)
     * @param dims      sizes of symbolic non-batch input dimensions by symbol
     */
    public record Config(List<Variant> variants, List<Integer> threads, int clients, Duration maxDelay, Timing timing,
                         boolean profile, MnistTestSet mnist, Map<String, Integer> dims) {

        /** Checks the values. */
        public Config {
            if (maxDelay == null || maxDelay.isNegative()) {
                throw new IllegalArgumentException("the batching delay must be >= 0, got " + maxDelay);
            }
            variants = List.copyOf(variants);
            threads = List.copyOf(threads);
            dims = Map.copyOf(dims);
            if (variants.isEmpty() || threads.isEmpty()) {
                throw new IllegalArgumentException("give at least one variant and one thread count");
            }
            for (int t : threads) {
                if (t < 1) {
                    throw new IllegalArgumentException("thread counts must be >= 1, got " + t);
                }
            }
            if (clients < 1) {
                throw new IllegalArgumentException("clients must be >= 1, got " + clients);
            }
        }
    }

    /** Batch sizes of the throughput figures beyond batch 1. */
    static final int[] BATCHES = {8, 32};

    private final Config config;

    /** A benchmark measuring each model for the given durations, variants and thread counts. */
    public ModelBenchmark(Config config) {
        this.config = config;
    }

    /** Steps reported to the progress listener for one model. */
    public int steps() {
        return config.variants().size() * config.threads().size();
    }

    /**
     * Benchmarks {@code model}; per-op profiles (when asked) go to {@code log}.
     *
     * @return one row per variant and thread count, in the config's order
     */
    public List<BenchRow> run(BenchModel model, BenchProgress progress, PrintStream log) {
        progress.start(steps());
        MnistTestSet mnist = mnistFor(model.model().graph());
        InputFactory inputs = new InputFactory(model.model().graph(), config.dims(), mnist,
                model.testDataSet().orElse(null));
        model.fixedBatchOriginal().ifPresent(original -> FreeBatchCheck.verify(original, model.model(), inputs));
        List<Map<String, Tensor>> samples = new ArrayList<>();
        int sampleCount = Math.max(1, config.timing().agreementSamples());
        for (int i = 0; i < sampleCount; i++) {
            samples.add(inputs.sample(i, inputs.fixedBatch()));
        }
        VariantFactory factory = new VariantFactory(model, () -> {
            // inputs past the ones accuracy and agreement are measured on (MNIST: the end of the test set)
            List<Map<String, Tensor>> calibration = new ArrayList<>();
            int first = mnist != null ? mnist.size() - config.timing().calibrationSamples() : sampleCount;
            for (int i = 0; i < config.timing().calibrationSamples(); i++) {
                calibration.add(inputs.sample(first + i, inputs.fixedBatch()));
            }
            return calibration;
        });
        Map<String, Tensor> one = samples.get(0);
        List<Map<String, Tensor>> reference = null;
        List<BenchRow> rows = new ArrayList<>();
        for (Variant variant : config.variants()) {
            Quality quality = null;
            for (int threads : config.threads()) {
                progress.message(model.name() + " " + variant + " @" + threads);
                BenchRow row;
                try {
                    if (reference == null && mnist == null) {
                        reference = referenceOutputs(model, samples);
                    }
                    Measurement m = measure(factory, variant, threads, inputs, one);
                    try (VariantRunner _ = m.runner) {
                        if (quality == null) {
                            quality = m.quality(variant, mnist, reference, samples);
                        }
                    }
                    row = m.row(model.name(), variant, threads, quality);
                    if (config.profile() && m.profile != null) {
                        m.profile.print(model.name() + " " + variant + " @" + threads + " thread"
                                + (threads == 1 ? "" : "s"), log);
                    }
                } catch (VariantUnavailableException e) {
                    row = BenchRow.unavailable(model.name(), variant.name(), threads, "not available: " + e.getMessage());
                } catch (RuntimeException e) {
                    row = BenchRow.unavailable(model.name(), variant.name(), threads, "failed: " + e.getMessage());
                } catch (LinkageError e) {
                    // a runtime whose native library does not load on this machine (ONNX Runtime)
                    row = BenchRow.unavailable(model.name(), variant.name(), threads, "failed: " + e);
                }
                rows.add(row);
                progress.step(model.name() + " " + variant + " @" + threads);
            }
        }
        return rows;
    }

    /** The MNIST test set when the model is an MNIST classifier and the set is given; else null. */
    private MnistTestSet mnistFor(Graph graph) {
        if (config.mnist() == null || graph.inputs().size() != 1) {
            return null;
        }
        ValueInfo in = graph.inputs().get(0);
        List<ValueInfo.Dim> s = in.shape();
        boolean digits = in.type() == DType.FLOAT && s != null && s.size() == 4 && dim(s.get(1)) == 1
                && dim(s.get(2)) == 28 && dim(s.get(3)) == 28;
        if (digits && config.timing().calibrationSamples() >= config.mnist().size()) {
            throw new IllegalArgumentException("calibration takes " + config.timing().calibrationSamples()
                    + " MNIST images, which leaves none of the " + config.mnist().size() + " to score");
        }
        return digits ? config.mnist() : null;
    }

    private static long dim(ValueInfo.Dim d) {
        return d.isFixed() ? d.value() : -1;
    }

    /** The FP32 Sprig outputs every other variant is compared with. */
    private static List<Map<String, Tensor>> referenceOutputs(BenchModel model, List<Map<String, Tensor>> samples) {
        try (SprigRunner fp32 = new SprigRunner(model.model(), Runtime.getRuntime().availableProcessors())) {
            List<Map<String, Tensor>> out = new ArrayList<>();
            for (Map<String, Tensor> s : samples) {
                out.add(fp32.outputs(s));
            }
            return out;
        }
    }

    /** Accuracy or agreement of one variant (measured once, at its first thread count). */
    private record Quality(Double accuracy, Integer accuracySamples, Agreement agreement) {
    }

    /** Everything measured for one variant on one thread count, and the runner for the quality figures. */
    private final class Measurement {
        VariantRunner runner;
        WarmUp.Result warmup;
        LatencyStats latency;
        double batch1;
        Double[] batches = new Double[BATCHES.length];
        Double clientsRate;
        Double clientsP99;
        Double batchedRate;
        Double batchedP99;
        long weightBytes;
        Long arenaBytes;
        long heapGrowth;
        OpProfile profile;

        BenchRow row(String model, Variant variant, int threads, Quality q) {
            return new BenchRow(model, variant.name(), threads, null, warmup.runs(), warmup.stable(), latency, batch1,
                    batches[0], batches[1], clientsRate, config.clients(), clientsP99, batchedRate, batchedP99,
                    config.maxDelay().toNanos() / 1e6, weightBytes, arenaBytes, heapGrowth,
                    q.accuracy(), q.accuracySamples(), q.agreement());
        }

        /**
         * Accuracy on the first MNIST images (never the calibration images at the end) when given,
         * else agreement with {@code reference} (none for FP32 itself).
         */
        Quality quality(Variant variant, MnistTestSet mnist, List<Map<String, Tensor>> reference,
                        List<Map<String, Tensor>> samples) {
            if (mnist != null) {
                int n = Math.min(config.timing().accuracyImages(), mnist.size() - config.timing().calibrationSamples());
                String input = samples.get(0).keySet().iterator().next();
                int correct = 0;
                for (int i = 0; i < n; i++) {
                    float[] pixels = new float[MnistTestSet.PIXELS];
                    mnist.image(i, pixels, 0);
                    Tensor logits = runner.outputs(Map.of(input, Tensor.of(pixels, 1, 1, 28, 28)))
                            .values().iterator().next();
                    correct += argMax(logits.toDoubleArray()) == mnist.label(i) ? 1 : 0;
                }
                return new Quality((double) correct / n, n, null);
            }
            if (variant.kind() == Variant.Kind.FP32) {
                return new Quality(null, null, null);
            }
            List<Map<String, Tensor>> out = new ArrayList<>();
            for (Map<String, Tensor> s : samples) {
                out.add(runner.outputs(s));
            }
            return new Quality(null, null, Agreement.of(reference, out));
        }
    }

    private Measurement measure(VariantFactory factory, Variant variant, int threads, InputFactory inputs,
                                Map<String, Tensor> one) throws VariantUnavailableException {
        Timing timing = config.timing();
        Measurement m = new Measurement();
        factory.preload(variant);
        long heapBefore = HeapProbe.usedAfterGc();
        VariantRunner runner = factory.open(variant, threads);
        boolean keep = false;
        try (VariantRunner.Prepared prepared = runner.prepare(one)) {
            m.runner = runner;
            m.warmup = WarmUp.run(() -> runner.run(prepared), timing.warmupMaxMillis());
            // a negative difference is collection noise (another allocation freed meanwhile): nothing retained
            m.heapGrowth = Math.max(0, HeapProbe.usedAfterGc() - heapBefore);
            m.weightBytes = runner.weightBytes();
            m.arenaBytes = runner.arenaBytes(one).isPresent() ? runner.arenaBytes(one).getAsLong() : null;

            long[] samples = latencies(runner, prepared, timing);
            m.latency = LatencyStats.of(samples);
            double total = 0;
            for (long s : samples) {
                total += s;
            }
            m.batch1 = samples.length / (total / 1e9);

            int batch = inputs.fixedBatch();
            for (int b = 0; b < BATCHES.length; b++) {
                if (inputs.batchable()) {
                    try (VariantRunner.Prepared big = runner.prepare(inputs.sample(0, BATCHES[b]))) {
                        runner.run(big);
                        m.batches[b] = ClientLoad.run(() -> runner.run(big), BATCHES[b], 1, timing.throughputMillis())
                                .itemsPerSecond();
                    }
                }
            }
            ClientLoad clients = ClientLoad.run(() -> runner.run(prepared), batch, config.clients(),
                    timing.throughputMillis());
            m.clientsRate = clients.itemsPerSecond();
            m.clientsP99 = clients.latency().p99Ms();
            if (runner instanceof SprigRunner sprig && inputs.batchable()) {
                ClientLoad batched = batched(sprig, one, timing);
                m.batchedRate = batched.itemsPerSecond();
                m.batchedP99 = batched.latency().p99Ms();
            }
            if (config.profile() && runner.canProfile()) {
                m.profile = new OpProfile();
                for (int i = 0; i < timing.profileRuns(); i++) {
                    runner.profile(one, m.profile);
                }
            }
            keep = true;
            return m;
        } finally {
            if (!keep) {
                runner.close();
            }
        }
    }

    /** Batch-1 latency samples: for the configured time, and at least the configured runs. */
    private static long[] latencies(VariantRunner runner, VariantRunner.Prepared prepared, Timing timing) {
        List<Long> samples = new ArrayList<>();
        long deadline = System.nanoTime() + timing.latencyMillis() * 1_000_000L;
        while (samples.size() < timing.latencyMinRuns() || System.nanoTime() < deadline) {
            long start = System.nanoTime();
            runner.run(prepared);
            samples.add(System.nanoTime() - start);
        }
        return samples.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * The clients figure again, each client's batch-1 request going through a batching front over
     * the variant's session (maximum batch: the number of clients), after a warm-up of the batch
     * sizes the front forms (each new size is a new memory plan and new GEMM shapes).
     */
    private ClientLoad batched(SprigRunner runner, Map<String, Tensor> one, Timing timing) {
        try (BatchingSession batching = runner.batching(config.clients(), config.maxDelay())) {
            Runnable call = () -> batching.run(one);
            ClientLoad.run(call, 1, config.clients(), Math.max(1, timing.throughputMillis() / 3));
            return ClientLoad.run(call, 1, config.clients(), timing.throughputMillis());
        }
    }

    private static int argMax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            best = v[i] > v[best] ? i : best;
        }
        return best;
    }
}
