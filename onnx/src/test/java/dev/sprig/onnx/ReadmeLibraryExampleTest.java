package dev.sprig.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Model;
import dev.sprig.core.session.Session;
import dev.sprig.core.session.SessionOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The library example of README.md ("Use it as a library") compiled and run on mnist-8: the
 * bundled {@code data/mnist-8} when present, else the shared test data's copy. On a real digit
 * from {@code test_data_set_0} its scores must match the reference output shipped with the model.
 * A second test checks that README.md still shows exactly these lines.
 */
class ReadmeLibraryExampleTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Path SOURCE = Path.of("src/test/java/dev/sprig/onnx/ReadmeLibraryExampleTest.java");
    private static final String SECTION = "## Use it as a library";

    /** The README's lines, verbatim from {@code Model model} to the closing brace. */
    static float[] readmeExample(Path file, float[][][][] digit) {
        Model model = OnnxModelLoader.load(file);
        try (Session session = Session.create(model, SessionOptions.threads(2))) {
            Map<String, Tensor> out = session.run(Map.of("Input3", Tensor.of(digit)));
            float[] scores = out.get("Plus214_Output_0").toFloatArray();   // one score per digit 0..9
            return scores;
        }
    }

    @Test
    void exampleClassifiesAReferenceDigit() {
        Path dir = firstHolding("model.onnx", Path.of("..", "data", "mnist-8"),
                TestData.root().resolve("models/mnist-8"));
        Assumptions.assumeTrue(dir != null, () -> TestData.skipReason("mnist-8 (nor ../data/mnist-8)"));
        Path set = firstHolding("output_0.pb", dir.resolve("test_data_set_0"),
                TestData.root().resolve("models/mnist-8/test_data_set_0"));
        Assumptions.assumeTrue(set != null, () -> TestData.skipReason("mnist-8/test_data_set_0"));

        float[] pixels = TensorProtos.readTensorFile(set.resolve("input_0.pb")).toFloatArray();
        assertEquals(28 * 28, pixels.length);
        float[][][][] digit = new float[1][1][28][28];
        for (int i = 0; i < pixels.length; i++) {
            digit[0][0][i / 28][i % 28] = pixels[i];
        }
        float[] scores = readmeExample(dir.resolve("model.onnx"), digit);

        float[] expected = TensorProtos.readTensorFile(set.resolve("output_0.pb")).toFloatArray();
        assertEquals(10, scores.length);
        for (int j = 0; j < expected.length; j++) {
            // the tolerance ModelReferenceTest uses for FP32 reference outputs
            assertTrue(Math.abs(scores[j] - expected[j]) <= 1e-4 + 1e-3 * Math.abs(expected[j]),
                    "score " + j + ": " + scores[j] + ", reference " + expected[j] + " (" + set + ")");
        }
        System.out.println("README library example on " + dir.resolve("model.onnx") + ": 10 scores match "
                + set.resolve("output_0.pb"));
    }

    @Test
    void readmeShowsTheCodeThisTestRuns() throws IOException {
        Assumptions.assumeTrue(Files.exists(README) && Files.exists(SOURCE),
                () -> skip("README.md or this test's source not found from " + Path.of("").toAbsolutePath()));
        List<String> shown = readmeExampleLines(Files.readAllLines(README));
        List<String> source = Files.readAllLines(SOURCE).stream().map(String::strip).toList();
        int at = 0;
        for (String line : shown) {
            int found = source.subList(at, source.size()).indexOf(line);
            assertTrue(found >= 0, "README.md's library example has a line readmeExample() does not run, in order: \""
                    + line + "\"; keep README.md and " + SOURCE + " in step");
            at += found + 1;
        }
    }

    /** The Java block of the README section, from its {@code Model model} line to the block's end. */
    private static List<String> readmeExampleLines(List<String> readme) {
        int section = readme.indexOf(SECTION);
        assertTrue(section >= 0, "README.md has no \"" + SECTION + "\" heading");
        List<String> lines = new ArrayList<>();
        boolean inBlock = false;
        boolean started = false;
        for (String raw : readme.subList(section + 1, readme.size())) {
            String line = raw.strip();
            if (!inBlock) {
                if (line.startsWith("## ")) {
                    break;
                }
                inBlock = line.equals("```java");
                continue;
            }
            if (line.equals("```")) {
                if (started) {
                    break;
                }
                inBlock = false;
                continue;
            }
            started |= line.startsWith("Model model");
            if (started && !line.isEmpty()) {
                lines.add(line);
            }
        }
        assertTrue(lines.size() >= 5, "README.md's \"" + SECTION + "\" has no Java block from \"Model model\" on: "
                + lines);
        return lines;
    }

    /** The first of {@code dirs} that holds {@code file}, or null. */
    private static Path firstHolding(String file, Path... dirs) {
        return Stream.of(dirs).filter(d -> Files.isRegularFile(d.resolve(file))).findFirst().orElse(null);
    }

    private static String skip(String reason) {
        System.out.println("skipped: " + reason);
        return reason;
    }
}
