package dev.sprig.onnx;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.core.ops.OperatorRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs the ONNX backend node tests in {@code ${sprig.testdata}/onnx-node} whose operators
 * {@link OperatorRegistry#standard()} implements, and prints one summary line, the failures, the
 * unsupported tally and stale skip entries. Fails when a test fails that
 * {@code node-test-skips.txt} does not list.
 *
 * <p>{@code -Dsprig.nodetests=REGEX} runs only the tests whose folder name contains a match of
 * REGEX (anchor it, {@code ^test_add$}, for one test); empty runs all. Each test has a 10 s limit.
 */
class OnnxNodeConformanceTest {

    private static final Duration TIME_LIMIT = Duration.ofSeconds(10);

    @Test
    void nodeTestsPassOrAreSkipListed() throws IOException {
        String root = System.getProperty("sprig.testdata", "");
        Path dir = root.isEmpty() ? null : Path.of(root, "onnx-node");
        if (dir == null || !Files.isDirectory(dir)) {
            String reason = "skipped: no ONNX node tests (sprig.testdata=" + root + " has no onnx-node folder)";
            System.out.println(reason);
            Assumptions.abort(reason);
        }
        String filter = System.getProperty("sprig.nodetests", "").strip();
        Pattern pattern = filter.isEmpty() ? null : Pattern.compile(filter);

        List<Path> all;
        try (Stream<Path> entries = Files.list(dir)) {
            all = entries.filter(p -> Files.isRegularFile(p.resolve("model.onnx"))).sorted().toList();
        }
        Set<String> existing = all.stream().map(p -> p.getFileName().toString())
                .collect(Collectors.toCollection(TreeSet::new));
        NodeTestRunner runner = new NodeTestRunner(OperatorRegistry.standard(), TIME_LIMIT);
        List<NodeTestResult> results = new ArrayList<>();
        long start = System.nanoTime();
        for (Path test : all) {
            if (pattern == null || pattern.matcher(test.getFileName().toString()).find()) {
                results.add(runner.run(test));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        NodeTestReport report = new NodeTestReport(results, skips(), existing);
        System.out.print(report.render());
        System.out.printf("(%d node tests in %.1f s%s)%n", results.size(), seconds,
                pattern == null ? "" : ", filter sprig.nodetests=" + filter);
        List<NodeTestResult> fresh = report.newFailures();
        assertTrue(fresh.isEmpty(), fresh.size() + " node test(s) failed that node-test-skips.txt does not list: "
                + fresh.stream().map(NodeTestResult::name).toList());
    }

    private static Map<String, String> skips() throws IOException {
        try (InputStream in = OnnxNodeConformanceTest.class.getResourceAsStream("/node-test-skips.txt")) {
            if (in == null) {
                return Map.of();
            }
            return NodeTestReport.parseSkips(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
    }
}
