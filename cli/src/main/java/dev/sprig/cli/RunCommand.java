package dev.sprig.cli;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Model;
import dev.sprig.core.session.Session;
import dev.sprig.core.session.SessionOptions;
import dev.sprig.onnx.OnnxModelLoader;
import dev.sprig.onnx.TensorProtos;
import java.io.IOException;
import java.io.PrintStream;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sprig run MODEL.onnx [--input name=FILE.pb ...]}: runs a model once and prints its outputs. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run an ONNX model and print its outputs (the top 5 for classifier-shaped outputs).",
            "Without --input, the inputs of test_data_set_0 beside the model are used when present, and the outputs "
                + "are compared with its expected output_<i>.pb."})
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The model file.")
    Path model;

    @Option(names = "--input", paramLabel = "name=FILE.pb",
            description = "An input tensor (onnx TensorProto file): name=FILE.pb, or FILE.pb for the next input in order.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--threads", description = "Threads (default: available processors).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Override
    public Integer call() {
        PrintStream out = System.out;
        try {
            Model m = OnnxModelLoader.load(model);
            Path testSet = model.toAbsolutePath().getParent().resolve("test_data_set_0");
            boolean fromTestSet = inputs.isEmpty() && Files.isDirectory(testSet);
            if (inputs.isEmpty() && !fromTestSet && !m.graph().inputs().isEmpty()) {
                throw new IllegalArgumentException("give the inputs with --input name=FILE.pb; the model's inputs are "
                        + m.graph().inputs());
            }
            Map<String, Tensor> in = fromTestSet ? ModelInputs.fromTestDataSet(m.graph(), testSet)
                    : ModelInputs.fromFiles(m.graph(), inputs);
            if (fromTestSet) {
                out.println("inputs from " + testSet);
            }
            List<String> labels = labels(model.toAbsolutePath().getParent().resolve("synset.txt"));
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
                        printTop5(out, t, labels);
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
            System.err.println("sprig run: " + e.getMessage());
            return 1;
        }
    }

    private static void printTop5(PrintStream out, Tensor t, List<String> labels) {
        double[] v = t.toDoubleArray();
        int[] top = IntStream.range(0, v.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -v[i]).thenComparingInt(i -> i))
                .limit(5).mapToInt(Integer::intValue).toArray();
        for (int r = 0; r < top.length; r++) {
            String label = top[r] < labels.size() ? "  " + labels.get(top[r]) : "";
            out.printf("  #%d  class %d  score %.5g%s%n", r + 1, top[r], v[top[r]], label);
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

    private static List<String> labels(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }
}
