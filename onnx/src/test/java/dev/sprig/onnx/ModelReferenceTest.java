package dev.sprig.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Model;
import dev.sprig.core.ops.UnsupportedOperatorException;
import dev.sprig.core.session.Session;
import dev.sprig.core.session.SessionOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every model of {@code ${sprig.testdata}/models} against the reference outputs shipped with it
 * (each {@code test_data_set_*}), with the tolerance its README suggests for FP32,
 * {@code |got - expected| <= 1e-4 + 1e-3 |expected|}; and the same outputs bitwise from 1 and 2
 * threads, optimised and not. A model using an operator Sprig does not implement yet is skipped
 * with the operator named.
 *
 * <p>A model listed in {@code model-reference-differences.txt} (with its reason) has reference
 * outputs that the ONNX definition does not reproduce; it still runs, its difference and argmax
 * agreement are printed, and the thread and pass checks still hold, but its values are not
 * asserted.
 */
class ModelReferenceTest {

    private static final double ATOL = 1e-4;
    private static final double RTOL = 1e-3;

    @TestFactory
    Stream<DynamicTest> modelsReproduceTheirReferenceOutputs() throws IOException {
        Path models = TestData.root().resolve("models");
        Assumptions.assumeTrue(Files.isDirectory(models), () -> TestData.skipReason("models"));
        List<Path> dirs;
        try (Stream<Path> s = Files.list(models)) {
            dirs = s.filter(d -> Files.exists(d.resolve("model.onnx"))).sorted().toList();
        }
        return dirs.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), () -> check(dir)));
    }

    private static void check(Path dir) throws IOException {
        String known = knownDifferences().get(dir.getFileName().toString());
        Model model = OnnxModelLoader.load(dir.resolve("model.onnx"));
        List<Path> sets;
        try (Stream<Path> s = Files.list(dir)) {
            sets = s.filter(d -> d.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
        }
        Session one;
        try {
            one = Session.create(model, SessionOptions.threads(1));
        } catch (UnsupportedOperatorException e) {
            System.out.println("model " + dir.getFileName() + ": skipped, " + e.getMessage());
            Assumptions.abort(e.getMessage());
            return;
        }
        try (one; Session two = Session.create(model, SessionOptions.threads(2));
             Session plain = Session.create(model, SessionOptions.threads(1).withOptimize(false))) {
            for (Path set : sets) {
                Map<String, Tensor> inputs = new LinkedHashMap<>();
                for (int i = 0; i < model.graph().inputs().size(); i++) {
                    inputs.put(model.graph().inputs().get(i).name(),
                            TensorProtos.readTensorFile(set.resolve("input_" + i + ".pb")));
                }
                List<Tensor> got = new ArrayList<>(one.run(inputs).values());
                List<Tensor> got2 = new ArrayList<>(two.run(inputs).values());
                List<Tensor> unoptimised = new ArrayList<>(plain.run(inputs).values());
                String where = dir.getFileName() + "/" + set.getFileName();
                double worst = 0;
                for (int j = 0; j < got.size(); j++) {
                    Tensor expected = TensorProtos.readTensorFile(set.resolve("output_" + j + ".pb"));
                    assertArrayEquals(got.get(j).toDoubleArray(), got2.get(j).toDoubleArray(),
                            where + " output " + j + ": 1 and 2 threads differ");
                    if (known != null) {
                        assertEquals(expected.shape(), got.get(j).shape(), where + " output " + j + ": shape");
                        assertArrayEquals(got.get(j).toDoubleArray(), unoptimised.get(j).toDoubleArray(),
                                where + " output " + j + ": passes on and off differ");
                        System.out.printf("model %s output %d: known difference, max |diff| %.4g, argmax %d vs"
                                + " reference %d (%s)%n", where, j, maxDiff(expected, got.get(j)),
                                argmax(got.get(j)), argmax(expected), known);
                        continue;
                    }
                    worst = Math.max(worst, assertClose(where + " output " + j, expected, got.get(j)));
                    assertClose(where + " output " + j + " (passes off)", expected, unoptimised.get(j));
                }
                if (known == null) {
                    System.out.printf("model %s: matches, max |diff| %.3g%n", where, worst);
                }
            }
        }
    }

    /** Model name -> reason, from {@code model-reference-differences.txt} ({@code name  # reason} lines). */
    private static Map<String, String> knownDifferences() throws IOException {
        Map<String, String> known = new LinkedHashMap<>();
        try (var in = ModelReferenceTest.class.getResourceAsStream("/model-reference-differences.txt")) {
            if (in == null) {
                return known;
            }
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                String t = line.strip();
                int hash = t.indexOf('#');
                if (t.isEmpty() || hash == 0) {
                    continue;
                }
                known.put(t.substring(0, hash < 0 ? t.length() : hash).strip(),
                        hash < 0 ? "no reason given" : t.substring(hash + 1).strip());
            }
        }
        return known;
    }

    private static double maxDiff(Tensor expected, Tensor got) {
        double[] e = expected.toDoubleArray();
        double[] g = got.toDoubleArray();
        double worst = 0;
        for (int i = 0; i < Math.min(e.length, g.length); i++) {
            worst = Math.max(worst, Math.abs(e[i] - g[i]));
        }
        return worst;
    }

    private static int argmax(Tensor t) {
        double[] v = t.toDoubleArray();
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            best = v[i] > v[best] ? i : best;
        }
        return best;
    }

    /** Checks the tolerance; returns the largest absolute difference. */
    private static double assertClose(String what, Tensor expected, Tensor got) {
        assertEquals(expected.dtype(), got.dtype(), what + ": dtype");
        assertEquals(expected.shape(), got.shape(), what + ": shape");
        double[] e = expected.toDoubleArray();
        double[] g = got.toDoubleArray();
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs(g[i] - e[i]);
            worst = Math.max(worst, d);
            int at = i;
            assertTrue(d <= ATOL + RTOL * Math.abs(e[i]),
                    () -> what + ": element " + at + " expected " + e[at] + ", got " + g[at]);
        }
        return worst;
    }
}
