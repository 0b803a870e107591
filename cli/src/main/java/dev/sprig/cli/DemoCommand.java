package dev.sprig.cli;

import dev.sprig.bench.model.BenchModel;
import dev.sprig.bench.model.BenchRow;
import dev.sprig.bench.model.ChartReport;
import dev.sprig.bench.model.JsonReport;
import dev.sprig.bench.model.MarkdownReport;
import dev.sprig.bench.model.MnistTestSet;
import dev.sprig.bench.model.ModelBenchmark;
import dev.sprig.bench.model.Variant;
import dev.sprig.kernels.KernelProvider;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sprig demo}: the before/after table on the built-in mnist-8 and MNIST test set, with no
 * download: the model as given, quantized by Sprig, pruned, and pruned then quantized, next to ONNX
 * Runtime, all measured by {@link ModelBenchmark} in one run, plus a PNG chart.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Before/after table on the built-in model (fp32, int8, pruned, ORT).",
            "Runs the built-in mnist-8 model on the built-in MNIST test set (no download): the model "
                + "as given (fp32), quantized by Sprig (int8), pruned (default " + DemoCommand.PRUNED + ": 25%% of the "
                + "conv channels removed, the rest refitted by least squares) and pruned+int8, next to ONNX Runtime - "
                + "accuracy, latency p50/p99, throughput, weight and arena memory - and a PNG chart.",
            "Under a minute on 2 cores; the progress bar shows the variant being measured."},
        footer = {"", "Examples:",
            "  ./sprig demo",
            "  ./sprig demo --png demo.png --json demo.json",
            "  ./sprig demo --pruned pruned-magnitude-0.7-refit --threads 2"})
final class DemoCommand implements Callable<Integer> {

    /** The pruned variant shown by default: within a few tenths of a point of fp32 on mnist-8, and smaller. */
    static final String PRUNED = "pruned-channels-0.25-refit";

    /**
     * About 7 s per variant: the warm-up, 3 s of latency samples, the clients figure, and accuracy
     * over the 9,500 test images calibration leaves; 500 calibration images, enough for the
     * least-squares refit of the 256-input dense layer.
     */
    static final ModelBenchmark.Timing DEMO = new ModelBenchmark.Timing(2_000, 3_000, 50, 1_000, 10_000, 8, 0, 500);

    /** A smoke run for tests: tiny durations, and few images (--images sets the scored ones). */
    static final ModelBenchmark.Timing SMOKE = new ModelBenchmark.Timing(200, 50, 3, 50, 200, 2, 0, 100);

    @Option(names = "--pruned", paramLabel = "VARIANT", defaultValue = PRUNED,
            description = "The pruned variant, pruned-<method>-<sparsity>[-refit] (method " + Variant.METHODS
                + "); its +int8 composite is shown too. Default: ${DEFAULT-VALUE}.")
    String pruned;

    @Option(names = "--threads", defaultValue = "1", description = "Threads per session (Sprig and ONNX Runtime alike). "
            + "Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--clients", description = "Concurrent batch-1 callers for the clients throughput. Default: the number"
            + " of processors (at least 2).")
    Integer clients;

    @Option(names = "--images", paramLabel = "N", description = "Score accuracy on the first N test images. Default: all"
            + " those calibration did not use (9,500).")
    Integer images;

    @Option(names = "--png", paramLabel = "FILE", defaultValue = "sprig-demo.png",
            description = "Where to write the chart. Default: ${DEFAULT-VALUE}.")
    Path png;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the rows as a JSON array.")
    Path json;

    /** Tests: tiny measurement times (the figures are then noise; the accuracy is still exact). */
    @Option(names = "--smoke", hidden = true)
    boolean smoke;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Variant prunedVariant = prunedVariant();
        int processors = Runtime.getRuntime().availableProcessors();
        int callers = clients == null ? Math.max(2, processors) : clients;
        if (threads < 1 || callers < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads and --clients must be >= 1, got "
                    + threads + " and " + callers);
        }
        PrintStream out = System.out;
        try {
            BenchModel model = BuiltInData.mnist8();
            MnistTestSet mnist = BuiltInData.mnist();
            ModelBenchmark.Timing timing = timing(mnist.size());
            List<Variant> variants = List.of(Variant.parse("fp32"), Variant.parse("int8"), prunedVariant,
                    Variant.parse(prunedVariant.name() + "+int8"), Variant.parse("onnxruntime"));
            ModelBenchmark bench = new ModelBenchmark(new ModelBenchmark.Config(variants, List.of(threads), callers,
                    Duration.ofMillis(2), timing, false, mnist, Map.of()));
            int scored = Math.min(timing.accuracyImages(), mnist.size() - timing.calibrationSamples());
            out.printf("Sprig demo: the built-in mnist-8 (ONNX Model Zoo, MIT) on the built-in MNIST test set (CC BY-SA"
                    + " 3.0)%nfp32 as given, int8 and %s made by Sprig now, ONNX Runtime as the peer; %d thread%s per"
                    + " session, %d concurrent clients, %d processors, JDK %s%nKernels: %s%n", prunedVariant, threads,
                    threads == 1 ? "" : "s", callers, processors, Runtime.version(), KernelProvider.describe());
            List<BenchRow> rows;
            try (ProgressBar bar = ModelBenchCommand.progressBar("demo", bench.steps())) {
                rows = bench.run(model, ModelBenchCommand.progress(bar), out);
            }
            out.println();
            out.print(MarkdownReport.summary(rows));
            out.println();
            out.printf("Accuracy: top-1 on MNIST test images 0-%d; calibration (int8 activation ranges, the pruning "
                    + "refit) used images %d-%d, never scored.%n", scored - 1, mnist.size() - timing.calibrationSamples(),
                    mnist.size() - 1);
            out.println("Latency: batch-1 runs one after another; clients: " + callers + " threads calling one session"
                    + " at once" + (rows.stream().anyMatch(r -> r.throughputBatched() != null) ? "; batched: the same"
                    + " clients through a BatchingSession." : " (mnist-8 fixes its batch at 1, so it cannot be batched)."));
            for (BenchRow r : rows) {
                if (!r.measured()) {
                    out.println(r.variant().equals("onnxruntime")
                            ? "ONNX Runtime did not run here, so there is no peer figure: " + r.status()
                            : r.variant() + " was not measured: " + r.status());
                }
            }
            if (smoke) {
                out.println("Smoke run (--smoke): tiny measurement times; the timings are noise.");
            }
            ChartReport.write(rows, png);
            out.println("wrote " + png);
            if (json != null) {
                Files.writeString(json, JsonReport.json(rows), StandardCharsets.UTF_8);
                out.println("wrote " + json);
            }
            return rows.stream().filter(r -> !r.variant().equals("onnxruntime")).allMatch(BenchRow::measured) ? 0 : 1;
        } catch (IOException e) {
            System.err.println("sprig demo: could not write " + json + ": " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            System.err.println("sprig demo: " + e.getMessage());
            return 1;
        }
    }

    private Variant prunedVariant() {
        Variant v;
        try {
            v = Variant.parse(pruned);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--pruned: " + e.getMessage());
        }
        if (v.kind() != Variant.Kind.PRUNED) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--pruned expects a variant "
                    + "pruned-<method>-<sparsity>[-refit] (its +int8 form is added by the demo), got '" + pruned + "'");
        }
        return v;
    }

    private ModelBenchmark.Timing timing(int testImages) {
        ModelBenchmark.Timing t = smoke ? SMOKE : DEMO;
        if (images == null) {
            return t;
        }
        int most = testImages - t.calibrationSamples();
        if (images < 1 || images > most) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--images must be in [1, " + most + "] (the "
                    + "last " + t.calibrationSamples() + " test images calibrate), got " + images);
        }
        return new ModelBenchmark.Timing(t.warmupMaxMillis(), t.latencyMillis(), t.latencyMinRuns(),
                t.throughputMillis(), images, t.agreementSamples(), t.profileRuns(), t.calibrationSamples());
    }
}
