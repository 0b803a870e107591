package dev.sprig.cli;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Model;
import dev.sprig.core.session.Session;
import dev.sprig.core.session.SessionOptions;
import dev.sprig.onnx.OnnxModelLoader;
import dev.sprig.onnx.TensorProtos;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sprig run MODEL.onnx [--input name=FILE ...]}: runs a model once on .pb, .npy or image
 * inputs and prints its outputs, with the top classes of classifier-shaped outputs.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run an ONNX model on .pb, .npy or image inputs; print the outputs.",
            "Classifier-shaped outputs (all axes 1 but the last) also print their top --top classes, named from "
                + "--labels (default: synset.txt beside the model, when present).",
            "Without --input, the inputs of test_data_set_0 beside the model are used when present, and the outputs "
                + "are compared with its expected output_<i>.pb.",
            "An image becomes a batch-1 tensor shaped like the model input: layout (NCHW unless the last axis is a "
                + "fixed 1 or 3), channels (declared 1 = grey, 3 = RGB) and height/width (resampled to the declared "
                + "size when fixed) follow its declaration unless the options below say otherwise. A FLOAT input gets "
                + "(pixel / --scale - --mean) / --std, by default pixel/255 in [0, 1]; a UINT8 input gets the raw "
                + "pixels. .npy files may be float16/32/64 (float64 is narrowed to FLOAT), int8, uint8, int32, int64 "
                + "or bool, C or Fortran order."},
        footer = {"", "Examples:",
            "  ./sprig run ../shared/testdata/models/mnist-8/model.onnx",
            "  ./sprig run data/mnist-8/model.onnx --top 3 --input \\",
            "      Input3=../shared/testdata/models/mnist-8/test_data_set_1/input_0.pb",
            "  ./sprig run MODEL.onnx --input photo.jpg --resize 224 --labels synset.txt \\",
            "      --mean 0.485,0.456,0.406 --std 0.229,0.224,0.225"})
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The model file.")
    Path model;

    @Option(names = "--input", paramLabel = "name=FILE",
            description = "An input: name=FILE, or FILE for the next input in order. FILE is an ONNX TensorProto "
                    + "(.pb), a NumPy array (.npy) or an image (.png, .jpg, .jpeg, .bmp, .gif).")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--threads", description = "Threads (default: available processors).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--labels", paramLabel = "FILE",
            description = "Class names, one per line (line i names class i), for the top classes.")
    Path labelsFile;

    @Option(names = "--top", paramLabel = "K", defaultValue = "5",
            description = "How many top classes to print (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--resize", paramLabel = "WxH|N",
            description = "Images: resample to W x H (N: N x N) instead of the declared (else the image's) size.")
    String resize;

    @Option(names = "--scale", paramLabel = "D",
            description = "Images: divide the 0..255 pixel values by D before --mean/--std (default: 255; 1 keeps 0..255).")
    Float scale;

    @Option(names = "--mean", paramLabel = "M|r,g,b",
            description = "Images: subtract this per channel after --scale (default: 0).")
    String mean;

    @Option(names = "--std", paramLabel = "S|r,g,b",
            description = "Images: then divide by this per channel (default: 1).")
    String std;

    @Option(names = "--layout", paramLabel = "nchw|nhwc",
            description = "Images: axis order of the tensor (default: from the model input's shape, else nchw).")
    String layout;

    @Option(names = "--grayscale",
            description = "Images: one grey channel (BT.601 luma) whatever the model declares.")
    boolean grayscale;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        try {
            if (top < 1) {
                throw new IllegalArgumentException("--top must be at least 1, got " + top);
            }
            ImageOptions images = ImageOptions.parse(resize, scale, mean, std, layout, grayscale);
            List<String> labels = labelsFile != null ? labels(labelsFile)
                    : optionalLabels(model.toAbsolutePath().getParent().resolve("synset.txt"));
            Model m = OnnxModelLoader.load(model);
            Path testSet = model.toAbsolutePath().getParent().resolve("test_data_set_0");
            boolean fromTestSet = inputs.isEmpty() && Files.isDirectory(testSet);
            if (inputs.isEmpty() && !fromTestSet && !m.graph().inputs().isEmpty()) {
                throw new IllegalArgumentException("give the inputs with --input name=FILE (.pb, .npy or an image); the model's inputs are "
                        + m.graph().inputs());
            }
            Map<String, Tensor> in = fromTestSet ? ModelInputs.fromTestDataSet(m.graph(), testSet)
                    : ModelInputs.fromFiles(m.graph(), inputs, images);
            if (fromTestSet) {
                out.println("inputs from " + testSet);
            }
            try (Session session = Session.create(m, SessionOptions.threads(threads))) {
                long start = System.nanoTime();
                Map<String, Tensor> result = session.run(in);
                long micros = (System.nanoTime() - start) / 1000;
                out.printf("ran in %.2f ms (first run, %d thread%s)%n", micros / 1000.0, threads, threads == 1 ? "" : "s");
                int j = 0;
                for (Map.Entry<String, Tensor> e : result.entrySet()) {
                    Tensor t = e.getValue();
                    out.println(e.getKey() + ": " + t);
                    if (ModelInputs.isClassifier(t)) {
                        if (!labels.isEmpty() && labels.size() != t.size()) {
                            spec.commandLine().getErr().printf("%s: note: %d labels for %d classes in %s%n",
                                    spec.qualifiedName(), labels.size(), t.size(), e.getKey());
                        }
                        printTop(out, t, labels, top);
                    }
                    Path expected = testSet.resolve("output_" + j + ".pb");
                    if (fromTestSet && Files.exists(expected)) {
                        out.println("  vs " + expected.getFileName() + ": " + compare(t, TensorProtos.readTensorFile(expected)));
                    }
                    j++;
                }
            }
            return 0;
        } catch (RuntimeException e) {
            CliErrors.report(spec, e, CliErrors.verbose(spec));
            return 1;
        }
    }

    /** The {@code k} highest scores, best first (ties by index): rank, class index, label when known, score. */
    private static void printTop(PrintStream out, Tensor t, List<String> labels, int k) {
        double[] v = t.toDoubleArray();
        int[] best = IntStream.range(0, v.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -v[i]).thenComparingInt(i -> i))
                .limit(k).mapToInt(Integer::intValue).toArray();
        for (int r = 0; r < best.length; r++) {
            String label = best[r] < labels.size() ? "  " + labels.get(best[r]) : "";
            out.printf("  #%d  class %d%s  score %.5g%n", r + 1, best[r], label, v[best[r]]);
        }
    }

    /** Largest absolute and relative difference, and whether it is within |d| <= 1e-4 + 1e-3 |expected|. */
    static String compare(Tensor got, Tensor expected) {
        if (!got.shape().equals(expected.shape()) || got.dtype() != expected.dtype()) {
            return "MISMATCH: expected " + expected.dtype() + " " + expected.shape() + ", got " + got.dtype() + " "
                    + got.shape();
        }
        double[] g = got.toDoubleArray();
        double[] x = expected.toDoubleArray();
        double maxAbs = 0;
        boolean ok = true;
        for (int i = 0; i < g.length; i++) {
            double d = Math.abs(g[i] - x[i]);
            maxAbs = Math.max(maxAbs, d);
            ok &= d <= 1e-4 + 1e-3 * Math.abs(x[i]) || (Double.isNaN(g[i]) && Double.isNaN(x[i]));
        }
        return String.format("max |diff| %.3g, %s", maxAbs, ok ? "within 1e-4 + 1e-3|expected|" : "OUTSIDE tolerance");
    }

    /** The lines of {@code file}, stripped; a missing or unreadable file is an error naming it. */
    static List<String> labels(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--labels " + file + ": no such file");
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("--labels " + file + ": cannot read it: " + e.getMessage(), e);
        }
    }

    /** The labels beside the model when there are any; they are a convenience, so a bad file is skipped. */
    private static List<String> optionalLabels(Path file) {
        try {
            return Files.isRegularFile(file) ? labels(file) : List.of();
        } catch (RuntimeException e) {
            return List.of();
        }
    }
}
