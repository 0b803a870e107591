package dev.sprig.onnx;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Summarises node-test results: the one-line summary, the failures (marked when not listed in the
 * skip file), the unsupported tally by reason, and stale skip entries (tests that pass now or do
 * not exist). {@link #newFailures()} are the failures that make the conformance test fail.
 */
final class NodeTestReport {

    static final int TALLY_LINES = 20;

    private final List<NodeTestResult> results;
    private final Map<String, String> skips;
    private final Set<String> existingTests;

    /**
     * @param results       the tests that ran (in order)
     * @param skips         skip-file entries: test name to reason
     * @param existingTests every test folder name, whether or not it ran (for stale entries)
     */
    NodeTestReport(List<NodeTestResult> results, Map<String, String> skips, Set<String> existingTests) {
        this.results = List.copyOf(results);
        this.skips = Map.copyOf(skips);
        this.existingTests = Set.copyOf(existingTests);
    }

    /**
     * Parses a skip file: one {@code test_name  # reason} per line; blank lines and lines starting
     * with {@code #} are ignored; the reason is optional.
     */
    static Map<String, String> parseSkips(Reader in) throws IOException {
        Map<String, String> skips = new LinkedHashMap<>();
        BufferedReader r = new BufferedReader(in);
        String line;
        int lineNo = 0;
        while ((line = r.readLine()) != null) {
            lineNo++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            int hash = text.indexOf('#');
            String name = (hash < 0 ? text : text.substring(0, hash)).strip();
            String reason = hash < 0 ? "" : text.substring(hash + 1).strip();
            if (name.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("skip file line " + lineNo + " is not 'test_name  # reason': "
                        + line);
            }
            skips.put(name, reason);
        }
        return skips;
    }

    int count(NodeTestResult.Outcome outcome) {
        return (int) results.stream().filter(r -> r.outcome() == outcome).count();
    }

    /** {@code onnx node tests: P passed, F failed, U unsupported (op or dtype), of T}. */
    String summaryLine() {
        return "onnx node tests: " + count(NodeTestResult.Outcome.PASSED) + " passed, "
                + count(NodeTestResult.Outcome.FAILED) + " failed, "
                + count(NodeTestResult.Outcome.UNSUPPORTED) + " unsupported (op or dtype), of " + results.size();
    }

    /** Failed tests that the skip file does not list. */
    List<NodeTestResult> newFailures() {
        return results.stream()
                .filter(r -> r.outcome() == NodeTestResult.Outcome.FAILED && !skips.containsKey(r.name()))
                .toList();
    }

    /** Unsupported reasons with their counts, most frequent first (ties by reason). */
    List<Map.Entry<String, Integer>> unsupportedTally() {
        Map<String, Integer> tally = new TreeMap<>();
        for (NodeTestResult r : results) {
            if (r.outcome() == NodeTestResult.Outcome.UNSUPPORTED) {
                tally.merge(r.reason(), 1, Integer::sum);
            }
        }
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(tally.entrySet());
        sorted.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        return sorted;
    }

    /** Skip entries that no longer apply: the test passes, or there is no such test. */
    List<String> staleSkips() {
        List<String> stale = new ArrayList<>();
        Map<String, NodeTestResult> byName = new TreeMap<>();
        results.forEach(r -> byName.put(r.name(), r));
        for (String name : skips.keySet()) {
            if (!existingTests.contains(name)) {
                stale.add(name + ": no such test");
            } else if (byName.containsKey(name) && byName.get(name).outcome() == NodeTestResult.Outcome.PASSED) {
                stale.add(name + ": passes now");
            }
        }
        return stale;
    }

    /** The whole report: summary line, failures, unsupported tally (top 20), stale skips. */
    String render() {
        StringBuilder sb = new StringBuilder(summaryLine()).append('\n');
        List<NodeTestResult> failed = results.stream()
                .filter(r -> r.outcome() == NodeTestResult.Outcome.FAILED).toList();
        if (!failed.isEmpty()) {
            sb.append("failures:\n");
            for (NodeTestResult r : failed) {
                sb.append("  ").append(r.name()).append(": ").append(oneLine(r.reason()))
                        .append(skips.containsKey(r.name()) ? "  [skip-listed: " + skips.get(r.name()) + "]" : "  [NEW]")
                        .append('\n');
            }
        }
        List<Map.Entry<String, Integer>> tally = unsupportedTally();
        if (!tally.isEmpty()) {
            sb.append("unsupported by reason (top ").append(TALLY_LINES).append(" of ").append(tally.size())
                    .append("):\n");
            for (Map.Entry<String, Integer> e : tally.subList(0, Math.min(TALLY_LINES, tally.size()))) {
                sb.append(String.format("  %5d  %s%n", e.getValue(), oneLine(e.getKey())));
            }
        }
        List<String> stale = staleSkips();
        if (!stale.isEmpty()) {
            sb.append("stale skip entries (remove them from node-test-skips.txt):\n");
            stale.forEach(s -> sb.append("  ").append(s).append('\n'));
        }
        return sb.toString();
    }

    private static String oneLine(String s) {
        String flat = s.replaceAll("\\s+", " ");
        return flat.length() > 400 ? flat.substring(0, 400) + "..." : flat;
    }
}
