package dev.sprig.cli;

import dev.sprig.bench.model.MnistTestSet;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Model;
import dev.sprig.core.session.Session;
import dev.sprig.core.session.SessionOptions;
import dev.sprig.onnx.OnnxModelLoader;
import dev.sprig.onnx.OnnxModelWriter;
import dev.sprig.prune.ChannelCriterion;
import dev.sprig.prune.PruneConfig;
import dev.sprig.prune.PruneMethod;
import dev.sprig.prune.PruneProgress;
import dev.sprig.prune.PruneResult;
import dev.sprig.prune.Pruner;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sprig prune MODEL.onnx --method M --sparsity S [--reconstruct] --out OUT.onnx}: prunes a
 * model (zeros, or physically removed channels) and writes it as ONNX, loaded back as a check;
 * {@code --sweep} instead prints (and plots) MNIST accuracy and latency against sparsity per method.
 * Calibration (Wanda, the refit) uses the first {@code --calibration-samples} MNIST test images; the
 * sweep measures accuracy on the test images after them, so no calibration image is scored.
 */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = {"Prune an ONNX model, or sweep accuracy and latency over sparsity.",
            "Methods: magnitude, Wanda, 2:4, blocks, channels; optionally refitting the rest by least squares on MNIST "
                + "calibration images; or --sweep accuracy and latency against sparsity."},
        footer = {"", "Examples:",
            "  ./sprig prune data/mnist-8/model.onnx --method magnitude --sparsity 0.8 \\",
            "      --reconstruct --out m80.onnx",
            "  ./sprig prune data/mnist-8/model.onnx --sweep --png sweep.png"})
final class PruneCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The FP32 model.")
    Path model;

    @Option(names = "--method", paramLabel = "magnitude|wanda|2:4|block1x4|block4x4|channels", defaultValue = "magnitude",
            description = "Pruning method (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--sparsity", defaultValue = "0.5",
            description = "Fraction of weights (blocks; channels per layer) to remove; ignored by 2:4 (default: ${DEFAULT-VALUE}).")
    double sparsity;

    @Option(names = "--global", description = "Magnitude: one threshold over all layers instead of per layer.")
    boolean global;

    @Option(names = "--criterion", paramLabel = "l1|l2|bn-gamma", defaultValue = "l1",
            description = "Channel ranking for --method channels (default: ${DEFAULT-VALUE}).")
    String criterion;

    @Option(names = "--reconstruct", description = "Refit the remaining weights by least squares against the dense model.")
    boolean reconstruct;

    @Option(names = "--ridge", defaultValue = "1e-3", description = "Relative ridge of the refit (default: ${DEFAULT-VALUE}).")
    double ridge;

    @Option(names = "--out", paramLabel = "OUT.onnx", description = "Where to write the pruned model (not with --sweep).")
    Path out;

    @Option(names = "--sweep", description = "Accuracy and latency against sparsity for every method, on MNIST.")
    boolean sweep;

    @Option(names = "--png", paramLabel = "FILE.png",
            description = "With --sweep: accuracy chart here, latency chart beside it (-latency.png).")
    Path png;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "../shared/testdata/datasets/mnist",
            description = "MNIST folder (t10k-*-ubyte.gz) (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--calibration-samples", defaultValue = "1000",
            description = "MNIST test images used for calibration (default: ${DEFAULT-VALUE}).")
    int calibrationSamples;

    @Option(names = "--latency-runs", defaultValue = "300", description = "Timed single-image runs per model in --sweep.")
    int latencyRuns;

    @Override
    public Integer call() {
        try {
            Model dense = OnnxModelLoader.load(model);
            return sweep ? sweep(dense) : pruneOnce(dense);
        } catch (RuntimeException e) {
            System.err.println("sprig prune: " + e.getMessage());
            return 1;
        }
    }

    private int pruneOnce(Model dense) {
        if (out == null) {
            throw new IllegalArgumentException("--out OUT.onnx is required (or --sweep)");
        }
        PruneConfig cfg = config(method, sparsity);
        boolean needsData = reconstruct || cfg.method() == PruneMethod.WANDA;
        List<Map<String, Tensor>> calib = needsData ? calibration(dense) : List.of();
        PruneResult r = withBar(cfg.describe(), p -> Pruner.run(dense, cfg, calib, p));
        OnnxModelWriter.write(r.model(), out);
        Model back = OnnxModelLoader.load(out);
        try (Session s = Session.create(back, SessionOptions.threads(1))) {
            s.graph(); // the written file loads and every op is known
        }
        System.out.printf("%s: %s, %d calibration images; weights %.1f%% sparse%n", out, cfg.describe(), calib.size(),
                100 * r.sparsity());
        for (PruneResult.LayerReport l : r.layers()) {
            System.out.printf("  %-60s %,8d -> %,8d weights, %,8d non-zero (%.1f%% sparse)%n", l.layer(),
                    l.denseWeights(), l.weights(), l.nonZero(), 100 * l.sparsity());
        }
        r.notes().forEach(n -> System.out.println("  note: " + n));
        return 0;
    }

    /** One row of the sweep. */
    private record Point(String method, double target, double sparsity, double accuracy, double p50Micros) {
    }

    private int sweep(Model dense) {
        MnistTestSet mnist = MnistTestSet.load(data);
        List<Map<String, Tensor>> calib = calibration(dense);
        String input = dense.graph().inputs().get(0).name();
        int first = calib.size();
        System.out.printf("sweep of %s: calibration on MNIST test images 0..%d, accuracy on images %d..%d (%d images),"
                + " latency p50 of %d single-image runs, 1 thread%n", model, first - 1, first, mnist.size() - 1,
                mnist.size() - first, latencyRuns);
        Map<String, double[]> levels = new LinkedHashMap<>();
        double[] unstructured = {0.5, 0.7, 0.8, 0.9, 0.95};
        levels.put("magnitude", unstructured);
        levels.put("wanda", unstructured);
        levels.put("2:4", new double[]{0.5});
        levels.put("block1x4", unstructured);
        levels.put("block4x4", unstructured);
        levels.put("channels", new double[]{0.25, 0.5, 0.75});
        double denseAcc = accuracy(dense, mnist, input, first);
        double denseLat = latency(dense, mnist, input);
        System.out.printf("%-22s %9s %9s %9s %12s%n", "method", "target", "sparsity", "top-1 %", "p50 us");
        System.out.printf("%-22s %9s %9s %9.2f %12.1f%n", "dense", "-", "0.0%", denseAcc, denseLat);
        List<Point> points = new ArrayList<>();
        for (Map.Entry<String, double[]> e : levels.entrySet()) {
            for (boolean refit : new boolean[]{false, true}) {
                String name = e.getKey() + (refit ? " +refit" : "");
                for (double s : e.getValue()) {
                    PruneConfig cfg = config(e.getKey(), s).withReconstruct(refit).withRidge(ridge);
                    PruneResult r = Pruner.run(dense, cfg, calib, PruneProgress.NONE);
                    Point p = new Point(name, s, r.sparsity(), accuracy(r.model(), mnist, input, first),
                            latency(r.model(), mnist, input));
                    points.add(p);
                    System.out.printf(Locale.ROOT, "%-22s %8.1f%% %8.1f%% %9.2f %12.1f%n", name, 100 * s,
                            100 * p.sparsity, p.accuracy, p.p50Micros);
                }
            }
        }
        if (png != null) {
            chart(points, denseAcc, "top-1 accuracy (%)", Point::accuracy, png);
            String f = png.getFileName().toString();
            Path lat = png.resolveSibling(f.replaceFirst("(\\.png)?$", "-latency.png"));
            chart(points, denseLat, "latency p50 (us)", Point::p50Micros, lat);
            System.out.println("charts: " + png + ", " + lat);
        }
        return 0;
    }

    private static void chart(List<Point> points, double dense, String yTitle,
                              java.util.function.ToDoubleFunction<Point> y, Path file) {
        XYChart chart = new XYChartBuilder().width(900).height(600).title("mnist-8: " + yTitle + " against sparsity")
                .xAxisTitle("weight sparsity (%)").yAxisTitle(yTitle).build();
        Map<String, List<Point>> by = new LinkedHashMap<>();
        points.forEach(p -> by.computeIfAbsent(p.method, k -> new ArrayList<>()).add(p));
        by.forEach((name, ps) -> {
            double[] xs = new double[ps.size() + 1];
            double[] ys = new double[ps.size() + 1];
            ys[0] = dense;
            for (int i = 0; i < ps.size(); i++) {
                xs[i + 1] = 100 * ps.get(i).sparsity;
                ys[i + 1] = y.applyAsDouble(ps.get(i));
            }
            chart.addSeries(name, xs, ys);
        });
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write chart " + file + ": " + e.getMessage(), e);
        }
    }

    private static double accuracy(Model m, MnistTestSet mnist, String input, int first) {
        int correct = 0;
        try (Session s = Session.create(m, SessionOptions.threads(1))) {
            for (int n = first; n < mnist.size(); n++) {
                double[] v = s.run(Map.of(input, Tensor.of(mnist.pixels(n), 1, 1, 28, 28))).values().iterator().next()
                        .toDoubleArray();
                int best = 0;
                for (int c = 1; c < v.length; c++) {
                    best = v[c] > v[best] ? c : best;
                }
                correct += best == mnist.label(n) ? 1 : 0;
            }
        }
        return 100.0 * correct / (mnist.size() - first);
    }

    /** Median wall time in microseconds of single-image runs, after as many warm-up runs. */
    private double latency(Model m, MnistTestSet mnist, String input) {
        Map<String, Tensor> in = Map.of(input, Tensor.of(mnist.pixels(0), 1, 1, 28, 28));
        long[] t = new long[latencyRuns];
        try (Session s = Session.create(m, SessionOptions.threads(1))) {
            for (int i = 0; i < latencyRuns; i++) {
                s.run(in);
            }
            for (int i = 0; i < latencyRuns; i++) {
                long start = System.nanoTime();
                s.run(in);
                t[i] = System.nanoTime() - start;
            }
        }
        Arrays.sort(t);
        return t[t.length / 2] / 1000.0;
    }

    private List<Map<String, Tensor>> calibration(Model dense) {
        if (dense.graph().inputs().size() != 1) {
            throw new IllegalArgumentException("calibration uses MNIST images, which need a model with one input; this one"
                    + " has " + dense.graph().inputs());
        }
        MnistTestSet mnist = MnistTestSet.load(data);
        if (calibrationSamples < 1 || calibrationSamples >= mnist.size()) {
            throw new IllegalArgumentException("--calibration-samples must be in [1, " + mnist.size() + "), got "
                    + calibrationSamples);
        }
        String name = dense.graph().inputs().get(0).name();
        List<Map<String, Tensor>> c = new ArrayList<>();
        for (int n = 0; n < calibrationSamples; n++) {
            c.add(Map.of(name, Tensor.of(mnist.pixels(n), 1, 1, 28, 28)));
        }
        return c;
    }

    private PruneConfig config(String m, double s) {
        PruneMethod pm = switch (m.toLowerCase(Locale.ROOT)) {
            case "magnitude" -> PruneMethod.MAGNITUDE;
            case "wanda" -> PruneMethod.WANDA;
            case "2:4", "n:m" -> PruneMethod.N_M;
            case "block1x4" -> PruneMethod.BLOCK_1X4;
            case "block4x4" -> PruneMethod.BLOCK_4X4;
            case "channels" -> PruneMethod.CHANNELS;
            default -> throw new IllegalArgumentException("--method " + m
                    + ": expected magnitude, wanda, 2:4, block1x4, block4x4 or channels");
        };
        ChannelCriterion c = switch (criterion.toLowerCase(Locale.ROOT)) {
            case "l1" -> ChannelCriterion.L1;
            case "l2" -> ChannelCriterion.L2;
            case "bn-gamma", "bn_gamma" -> ChannelCriterion.BN_GAMMA;
            default -> throw new IllegalArgumentException("--criterion " + criterion + ": expected l1, l2 or bn-gamma");
        };
        return PruneConfig.of(pm, pm == PruneMethod.N_M ? 0 : s).withGlobal(global).withCriterion(c)
                .withReconstruct(reconstruct).withRidge(ridge);
    }

    private static PruneResult withBar(String task, java.util.function.Function<PruneProgress, PruneResult> work) {
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("prune " + task).setInitialMax(1)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
            return work.apply((phase, done, total) -> {
                bar.maxHint(total);
                bar.stepTo(done);
                bar.setExtraMessage(phase);
            });
        }
    }
}
