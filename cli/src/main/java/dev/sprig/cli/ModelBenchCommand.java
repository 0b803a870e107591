package dev.sprig.cli;

import dev.sprig.bench.model.BenchModel;
import dev.sprig.bench.model.BenchProgress;
import dev.sprig.bench.model.BenchRow;
import dev.sprig.bench.model.ChartReport;
import dev.sprig.bench.model.JsonReport;
import dev.sprig.bench.model.MarkdownReport;
import dev.sprig.bench.model.MnistTestSet;
import dev.sprig.bench.model.ModelBenchmark;
import dev.sprig.bench.model.SyntheticModels;
import dev.sprig.bench.model.Variant;
import dev.sprig.core.ModelException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sprig bench model}: the end-to-end benchmark of one model (a file, the built-in mnist-8,
 * or a synthetic network) in several variants next to ONNX Runtime Java, as a Markdown table, JSON and a chart.
 */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = {"Benchmark model variants next to ONNX Runtime (table, JSON, chart).",
            "Warm-up until stable, batch-1 latency p50/p90/p99/max, throughput at batch "
                + "1/8/32, with concurrent clients on one session and through a BatchingSession, weight/arena/heap "
                + "memory, and accuracy on MNIST (MNIST classifiers) or agreement with fp32 - for each variant and "
                + "thread count, ONNX Runtime included.",
            "Prints a Markdown table; --json, --md and --png also write it as JSON, Markdown and a PNG chart."},
        footer = {"", "Variants: " + Variant.FORMS + ".",
            "", "Examples:",
            "  ./sprig bench model --quick                       # the built-in mnist-8",
            "  ./sprig bench model ../shared/testdata/models/mnist-8/model.onnx --variants fp32,int8,pruned-2:4-refit+int8",
            "  ./sprig bench model --free-batch --variants fp32,onnxruntime   # mnist-8 at batch 8 and 32 too",
            "  ./sprig bench model --synthetic resnet18 --threads 2 --clients 16 --max-delay-ms 2",
            "  ./sprig bench model --synthetic resnet18 --variants fp32,onnxruntime --threads 1,2 --png r.png",
            "  ./sprig bench model --synthetic encoder --profile --json e.json --md e.md"})
final class ModelBenchCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL.onnx",
            description = "The model file. Default: the built-in mnist-8 (unless --synthetic).")
    Path model;

    @Option(names = "--synthetic", paramLabel = "NAME",
            description = "A synthetic FP32 model with random weights instead of a file: " + SyntheticModels.NAMES + ".")
    String synthetic;

    @Option(names = "--variants", split = ",", paramLabel = "V",
            description = "Variants, in report order. Default: " + Variant.DEFAULTS + ".")
    List<String> variants;

    @Option(names = "--threads", split = ",", description = "Thread counts. Default: 1 and all processors.")
    List<Integer> threads;

    @Option(names = "--clients", description = "Concurrent batch-1 callers on one session for the clients throughput, "
            + "and the BatchingSession's maximum batch. Default: the number of processors (at least 2).")
    Integer clients;

    @Option(names = "--max-delay-ms", defaultValue = "2", paramLabel = "MS",
            description = "How long the BatchingSession lets a request wait for others to join its batch. "
                + "Default: ${DEFAULT-VALUE}.")
    double maxDelayMs;

    @Option(names = "--free-batch",
            description = {"Run a model exported with batch 1 with its batch made symbolic (both runtimes), so that it",
                "gets batch 8/32 and BatchingSession figures; refused unless a batch of two samples gives each",
                "sample's own outputs."})
    boolean freeBatch;

    @Option(names = "--quick", description = "About a second per figure and 1,000 MNIST images (a smoke run, noisier).")
    boolean quick;

    @Option(names = "--profile", description = "Also print the time per op type of each Sprig variant.")
    boolean profile;

    @Option(names = "--testdata", paramLabel = "DIR", defaultValue = "../shared/testdata",
            description = "The shared test data folder (MNIST under datasets/mnist; when it is absent, the built-in "
                + "MNIST test set is used). Default: ${DEFAULT-VALUE}.")
    Path testdata;

    @Option(names = "--dim", paramLabel = "name=value",
            description = "Size of a symbolic input dimension other than the batch, e.g. sequence_length=128.")
    Map<String, Integer> dims = new LinkedHashMap<>();

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the synthetic model's weights. Default: 1.")
    long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the rows as a JSON array.")
    Path json;

    @Option(names = "--md", paramLabel = "FILE", description = "Write the table, with the command and machine, as Markdown.")
    Path md;

    @Option(names = "--png", paramLabel = "FILE", description = "Write the latency/throughput/memory/accuracy chart.")
    Path png;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (model != null && synthetic != null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give either MODEL.onnx or --synthetic " + SyntheticModels.NAMES.replace(", ", "|") + ", not both");
        }
        if (!(maxDelayMs >= 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-delay-ms must be >= 0, got " + maxDelayMs);
        }
        int processors = Runtime.getRuntime().availableProcessors();
        List<Integer> t = threads == null || threads.isEmpty()
                ? processors > 1 ? List.of(1, processors) : List.of(1) : threads;
        List<Variant> v = new ArrayList<>();
        try {
            for (String name : variants == null ? List.of(Variant.DEFAULTS.split(",")) : variants) {
                v.add(Variant.parse(name));
            }
            Path mnistDir = testdata.resolve("datasets/mnist");
            MnistTestSet mnist = Files.isDirectory(mnistDir) ? MnistTestSet.load(mnistDir) : BuiltInData.mnist();
            ModelBenchmark.Config config = new ModelBenchmark.Config(v, t, clients == null ? Math.max(2, processors)
                    : clients, Duration.ofNanos(Math.round(maxDelayMs * 1e6)),
                    quick ? ModelBenchmark.Timing.quick() : ModelBenchmark.Timing.standard(), profile, mnist, dims);
            BenchModel m = synthetic != null ? BenchModel.synthetic(synthetic, seed)
                    : model != null ? BenchModel.fromFile(model) : BuiltInData.mnist8();
            if (freeBatch) {
                m = m.withFreeBatch();
            }
            ModelBenchmark bench = new ModelBenchmark(config);
            PrintStream out = System.out;
            List<BenchRow> rows;
            try (ProgressBar bar = progressBar("bench " + m.name(), bench.steps())) {
                rows = bench.run(m, progress(bar), out);
            }
            String table = MarkdownReport.table(rows);
            out.println();
            out.print(table);
            if (json != null) {
                write(json, JsonReport.json(rows));
                out.println("wrote " + json);
            }
            if (md != null) {
                write(md, header() + "\n" + table);
                out.println("wrote " + md);
            }
            if (png != null) {
                ChartReport.write(rows, png);
                out.println("wrote " + png);
            }
            return rows.stream().anyMatch(BenchRow::measured) ? 0 : 1;
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException | ModelException e) {
            System.err.println("sprig bench model: " + e.getMessage());
            return 1;
        }
    }

    /** A text progress bar with ETA on stderr, so that stdout keeps only the report. */
    static ProgressBar progressBar(String task, int steps) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(steps).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500).setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
    }

    /** The benchmark's progress on {@code bar}: one step per variant and thread count. */
    static BenchProgress progress(ProgressBar bar) {
        return new BenchProgress() {
            @Override
            public void start(int steps) {
                bar.maxHint(steps);
            }

            @Override
            public void step(String next) {
                bar.step();
            }

            @Override
            public void message(String text) {
                bar.setExtraMessage(text);
            }
        };
    }

    /** What produced the table: command, machine, JDK, date. */
    private String header() {
        return "Command: `./sprig " + String.join(" ", spec.commandLine().getParseResult().originalArgs())
                + "`  \nMachine: " + Runtime.getRuntime().availableProcessors() + " processors, " + System.getProperty("os.arch")
                + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB  \nJDK: " + Runtime.version()
                + "  \nDate: " + LocalDate.now() + (quick ? "  \nQuick run (--quick): short measurements, noisier figures."
                : "") + "\n";
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
    }
}
