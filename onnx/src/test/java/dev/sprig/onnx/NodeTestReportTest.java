package dev.sprig.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The conformance summary: counts, new versus skip-listed failures, the tally and stale entries. */
class NodeTestReportTest {

    @Test
    void parsesSkipFile() throws IOException {
        Map<String, String> skips = NodeTestReport.parseSkips(new StringReader("""
                # header comment

                test_a   # rounding differs at 1e-3
                test_b
                  test_c#no space before the hash
                """));
        assertEquals(Map.of("test_a", "rounding differs at 1e-3", "test_b", "", "test_c", "no space before the hash"),
                skips);
        assertThrows(IllegalArgumentException.class,
                () -> NodeTestReport.parseSkips(new StringReader("two names # reason\n")));
    }

    @Test
    void summarisesAndSeparatesNewFailures() {
        List<NodeTestResult> results = List.of(
                NodeTestResult.passed("test_ok"),
                NodeTestResult.passed("test_fixed"),
                NodeTestResult.failed("test_known", "index 0 ..."),
                NodeTestResult.failed("test_new", "run: boom"),
                NodeTestResult.unsupported("test_loop", "op Loop"),
                NodeTestResult.unsupported("test_loop2", "op Loop"),
                NodeTestResult.unsupported("test_cast", "dtype DOUBLE"));
        Map<String, String> skips = Map.of("test_known", "known", "test_fixed", "was broken", "test_gone", "old");
        Set<String> existing = Set.of("test_ok", "test_fixed", "test_known", "test_new", "test_loop", "test_loop2",
                "test_cast", "test_not_run");
        NodeTestReport report = new NodeTestReport(results, skips, existing);

        assertEquals("onnx node tests: 2 passed, 2 failed, 3 unsupported (op or dtype), of 7", report.summaryLine());
        assertEquals(List.of("test_new"), report.newFailures().stream().map(NodeTestResult::name).toList());
        assertEquals(List.of(Map.entry("op Loop", 2), Map.entry("dtype DOUBLE", 1)), report.unsupportedTally());
        assertEquals(Set.of("test_fixed: passes now", "test_gone: no such test"), Set.copyOf(report.staleSkips()));

        String text = report.render();
        assertTrue(text.startsWith(report.summaryLine() + "\n"), text);
        assertTrue(text.contains("  test_new: run: boom  [NEW]"), text);
        assertTrue(text.contains("  test_known: index 0 ...  [skip-listed: known]"), text);
        assertTrue(text.contains("      2  op Loop"), text);
    }
}
