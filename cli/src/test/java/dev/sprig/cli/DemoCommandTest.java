package dev.sprig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.bench.model.MnistTestSet;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Model;
import dev.sprig.core.session.Session;
import dev.sprig.core.session.SessionOptions;
import dev.sprig.onnx.OnnxModelLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sprig demo} on the built-in data (classpath resources, no test data folder), with tiny
 * measurement times: the table has the four Sprig variants, and fp32's accuracy is the count a
 * plain session gets on the same images.
 */
class DemoCommandTest {

    private static final int IMAGES = 300;
    private static InputStream resource(String path) {
        InputStream in = DemoCommandTest.class.getResourceAsStream("/dev/sprig/data/" + path);
        assertTrue(in != null, "built-in resource " + path + " on the test classpath");
        return in;
    }

    /** Correct top-1 answers of mnist-8 on the first {@code n} test images, by a plain session. */
    private static int correctByPlainSession(int n) throws IOException {
        Model model;
        try (InputStream in = resource("mnist-8/model.onnx")) {
            model = OnnxModelLoader.load(in.readAllBytes(), null);
        }
        MnistTestSet mnist = MnistTestSet.read(resource("mnist/t10k-images-idx3-ubyte.gz"),
                resource("mnist/t10k-labels-idx1-ubyte.gz"));
        int correct = 0;
        try (Session s = Session.create(model, SessionOptions.threads(1))) {
            for (int i = 0; i < n; i++) {
                float[] logits = s.run(Map.of("Input3", Tensor.of(mnist.pixels(i), 1, 1, 28, 28)))
                        .get("Plus214_Output_0").contiguous().floatData();
                int best = 0;
                for (int c = 1; c < 10; c++) {
                    best = logits[c] > logits[best] ? c : best;
                }
                correct += best == mnist.label(i) ? 1 : 0;
            }
        }
        return correct;
    }

    /** The table row of {@code variant}, cells trimmed. */
    private static String[] row(String table, String variant) {
        for (String line : table.lines().toList()) {
            String[] cells = line.split("\\|");
            if (cells.length > 2 && cells[1].trim().equals(variant)) {
                for (int i = 0; i < cells.length; i++) {
                    cells[i] = cells[i].trim();
                }
                return cells;
            }
        }
        throw new AssertionError("no row for " + variant + " in\n" + table);
    }

    @Test
    void printsTheBeforeAfterTableWithFp32AccuracyAsAPlainSessionCountsIt(@TempDir Path dir) throws IOException {
        Path png = dir.resolve("demo.png");
        Path json = dir.resolve("demo.json");
        String out = CliRunner.sprig(0, "demo", "--smoke", "--images", Integer.toString(IMAGES), "--png",
                png.toString(),
                "--json", json.toString())[0];
        for (String v : List.of("fp32", "int8", DemoCommand.PRUNED, DemoCommand.PRUNED + "+int8")) {
            String[] cells = row(out, v);
            assertTrue(cells[3].endsWith("top-1 (" + IMAGES + " images)"), String.join(" | ", cells));
            assertTrue(cells[10].endsWith("KiB") || cells[10].contains("KiB ("), String.join(" | ", cells));
        }
        int correct = correctByPlainSession(IMAGES);
        String expected = String.format(Locale.ROOT, "%.2f%% top-1 (%d images)", 100.0 * correct / IMAGES, IMAGES);
        assertEquals(expected, row(out, "fp32")[3], out);
        // channel pruning removes weights: fewer bytes than fp32
        String prunedWeights = row(out, DemoCommand.PRUNED)[10];
        assertTrue(prunedWeights.matches(".*\\(0\\.\\d\\dx\\)"), prunedWeights);
        assertTrue(out.contains("| onnxruntime |"), out);
        byte[] head = Files.readAllBytes(png);
        assertTrue(head.length > 1000 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G', "a PNG chart");
        assertTrue(Files.readString(json).startsWith("[") && Files.readString(json).contains("\"variant\": \"int8\""));
    }

    @Test
    void helpHasAnExampleAndFormatsCleanly() {
        String[] help = CliRunner.sprig(0, "demo", "--help");
        String out = help[0];
        assertTrue(out.contains("Examples:") && out.contains("./sprig demo"), out);
        assertTrue(out.contains("25% of the conv channels"), out);
        assertTrue(help[1].isEmpty(), help[1]);
    }

    @Test
    void aPrunedOptionThatIsNotAPrunedVariantIsRefused() {
        String notPruned = CliRunner.sprig(2, "demo", "--pruned", "int8")[1];
        assertTrue(notPruned.contains("--pruned expects a variant pruned-<method>-<sparsity>[-refit]"), notPruned);
        String badMethod = CliRunner.sprig(2, "demo", "--pruned", "pruned-random-0.5")[1];
        assertTrue(badMethod.contains("unknown pruning method 'random'"), badMethod);
    }
}
