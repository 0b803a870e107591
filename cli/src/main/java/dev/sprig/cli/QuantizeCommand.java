package dev.sprig.cli;

import dev.sprig.bench.model.MnistTestSet;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import dev.sprig.onnx.OnnxModelLoader;
import dev.sprig.onnx.OnnxModelWriter;
import dev.sprig.quant.ActivationType;
import dev.sprig.quant.CalibrationData;
import dev.sprig.quant.CalibrationMethod;
import dev.sprig.quant.QuantConfig;
import dev.sprig.quant.Quantizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sprig quantize MODEL.onnx --calibration DIR|mnist --out OUT.onnx}: post-training INT8
 * quantization into a standard ONNX QDQ model (or dynamic quantization with {@code --dynamic}),
 * with a progress bar over the calibration runs; the written file is loaded back as a check.
 */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = {"Quantize an FP32 ONNX model to INT8 (QDQ) from calibration data.",
            "--calibration mnist uses the first --samples images of the MNIST test set under --data; a folder uses "
                + "its test_data_set_* subfolders (input_<i>.pb by graph input position), or its own input_*.pb."},
        footer = {"", "Examples:",
            "  ./sprig quantize data/mnist-8/model.onnx --calibration mnist --out q.onnx",
            "  ./sprig quantize data/mnist-8/model.onnx --dynamic --out qd.onnx"})
final class QuantizeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The FP32 model.")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "OUT.onnx", description = "Where to write the quantized model.")
    Path out;

    @Option(names = "--calibration", paramLabel = "DIR|mnist",
            description = "Calibration inputs (required unless --dynamic).")
    String calibration;

    @Option(names = "--method", paramLabel = "minmax|percentile|entropy", defaultValue = "minmax",
            description = "How activation ranges are chosen (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--percentile", defaultValue = "99.99", description = "Percentile of |x| kept (default: ${DEFAULT-VALUE}).")
    double percentile;

    @Option(names = "--dynamic", description = "Quantize MatMul/Gemm weights only; activations at run time. No data needed.")
    boolean dynamic;

    @Option(names = "--samples", defaultValue = "1000", description = "Calibration samples at most (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--data", defaultValue = "../shared/testdata",
            description = "The test data folder holding datasets/mnist (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--activations", paramLabel = "uint8|int8", defaultValue = "uint8",
            description = "Activation type, asymmetric per tensor (default: ${DEFAULT-VALUE}).")
    String activations;

    @Option(names = "--per-tensor", description = "One weight scale per tensor instead of per output channel.")
    boolean perTensor;

    @Option(names = "--no-bias-correction", description = "Keep the quantized biases as they are.")
    boolean noBiasCorrection;

    @Option(names = "--exclude", split = ",", paramLabel = "NAME|OPTYPE",
            description = "Node names or op types to keep in FP32 (comma-separated).")
    List<String> exclude = new ArrayList<>();

    @Override
    public Integer call() {
        try {
            Model fp32 = OnnxModelLoader.load(model);
            QuantConfig config = config(fp32);
            CalibrationData calib = dynamic ? CalibrationData.none() : calibrationData(fp32);
            Model int8;
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("quantize").setInitialMax(1)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
                int8 = Quantizer.quantize(fp32, calib, config, (phase, done, total) -> {
                    bar.maxHint(total);
                    bar.stepTo(done);
                    bar.setExtraMessage(phase);
                });
            }
            OnnxModelWriter.write(int8, out);
            Model back = OnnxModelLoader.load(out);
            long before = Quantizer.initializerBytes(fp32);
            long after = Quantizer.initializerBytes(back);
            System.out.printf("%s: %s quantization, %s%n", out, dynamic ? "dynamic" : "static",
                    dynamic ? "MatMul/Gemm weights int8" : calib.size() + " calibration samples, " + method);
            System.out.printf("initializer bytes %,d -> %,d (%.3fx)%n", before, after, (double) after / before);
            System.out.println("ops " + opCounts(back));
            return 0;
        } catch (RuntimeException e) {
            System.err.println("sprig quantize: " + e.getMessage());
            return 1;
        }
    }

    private QuantConfig config(Model fp32) {
        CalibrationMethod m = switch (method.toLowerCase()) {
            case "minmax", "min-max", "min_max" -> CalibrationMethod.MIN_MAX;
            case "percentile" -> CalibrationMethod.PERCENTILE;
            case "entropy", "kl" -> CalibrationMethod.ENTROPY;
            default -> throw new IllegalArgumentException("--method must be minmax, percentile or entropy, got '"
                    + method + "'");
        };
        ActivationType type = switch (activations.toLowerCase()) {
            case "uint8", "u8" -> ActivationType.UINT8;
            case "int8", "s8" -> ActivationType.INT8;
            default -> throw new IllegalArgumentException("--activations must be uint8 or int8, got '" + activations + "'");
        };
        if (samples < 1) {
            throw new IllegalArgumentException("--samples must be >= 1, got " + samples);
        }
        if (!dynamic && calibration == null) {
            throw new IllegalArgumentException("static quantization needs --calibration DIR|mnist (or use --dynamic)");
        }
        Set<String> opTypes = new java.util.HashSet<>();
        Set<String> nodes = new java.util.HashSet<>();
        Set<String> known = new java.util.HashSet<>();
        fp32.graph().nodes().forEach(n -> known.add(n.opType()));
        for (String e : exclude) {
            // an op type present in the model excludes every such node; anything else is a node name
            (known.contains(e) ? opTypes : nodes).add(e);
        }
        return QuantConfig.defaults().withMethod(m).withPercentile(percentile).withActivationType(type)
                .withPerChannelWeights(!perTensor).withBiasCorrection(!noBiasCorrection)
                .withExcluded(nodes, opTypes).withDynamic(dynamic);
    }

    private CalibrationData calibrationData(Model fp32) {
        List<Map<String, Tensor>> inputs = new ArrayList<>();
        if (calibration.equals("mnist")) {
            if (fp32.graph().inputs().size() != 1) {
                throw new IllegalArgumentException("--calibration mnist needs a model with one input, this one has "
                        + fp32.graph().inputs());
            }
            MnistTestSet mnist = MnistTestSet.load(data.resolve("datasets/mnist"));
            String name = fp32.graph().inputs().get(0).name();
            for (int n = 0; n < Math.min(samples, mnist.size()); n++) {
                inputs.add(Map.of(name, Tensor.of(mnist.pixels(n), 1, 1, 28, 28)));
            }
            return CalibrationData.of(inputs);
        }
        Path dir = Path.of(calibration);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--calibration " + calibration + ": not a folder nor 'mnist'");
        }
        List<Path> sets;
        if (Files.exists(dir.resolve("input_0.pb"))) {
            sets = List.of(dir);
        } else {
            try (Stream<Path> s = Files.list(dir)) {
                sets = s.filter(d -> Files.exists(d.resolve("input_0.pb"))).sorted().limit(samples).toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
            }
        }
        if (sets.isEmpty()) {
            throw new IllegalArgumentException("--calibration " + dir + ": no input_0.pb in it nor in any subfolder");
        }
        for (Path set : sets) {
            inputs.add(ModelInputs.fromTestDataSet(fp32.graph(), set));
        }
        return CalibrationData.of(inputs);
    }

    private static Map<String, Integer> opCounts(Model m) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Node n : m.graph().nodes()) {
            counts.merge(n.opType(), 1, Integer::sum);
        }
        return counts;
    }
}
