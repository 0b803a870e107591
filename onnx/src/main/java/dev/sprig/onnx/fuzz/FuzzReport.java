package dev.sprig.onnx.fuzz;

import dev.sprig.onnx.fuzz.ModelFuzzer.CaseResult;
import dev.sprig.onnx.fuzz.ModelFuzzer.Outcome;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tally of a fuzz run: cases per {@link Outcome}, the failures (cases that broke the contract,
 * with their case numbers for reproduction) and the findings (documented exceptions over an
 * unchecked error, grouped by where the error was thrown).
 */
public final class FuzzReport {

    private final long fuzzSeed;
    private final long startNanos = System.nanoTime();
    private final Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
    private final List<CaseResult> failures = new ArrayList<>();
    private final Map<String, List<Long>> findings = new LinkedHashMap<>();
    private final Map<String, Long> casesPerSeedModel = new LinkedHashMap<>();
    private long cases;
    private long elapsedNanos;

    FuzzReport(long fuzzSeed) {
        this.fuzzSeed = fuzzSeed;
        for (Outcome o : Outcome.values()) {
            counts.put(o, 0L);
        }
    }

    void add(CaseResult r) {
        cases++;
        counts.merge(r.outcome(), 1L, Long::sum);
        casesPerSeedModel.merge(r.seedModel(), 1L, Long::sum);
        if (r.outcome() == Outcome.FAILED || r.outcome() == Outcome.TIMED_OUT) {
            failures.add(r);
        }
        if (r.finding() != null) {
            // group by the throwing frame, which is what a fix addresses
            String key = r.finding().contains(": ") ? r.finding().substring(0, r.finding().indexOf(": ")) : r.finding();
            findings.computeIfAbsent(key, k -> new ArrayList<>()).add(r.index());
        }
    }

    void finish() {
        elapsedNanos = System.nanoTime() - startNanos;
    }

    /** The run's seed: with a case number it reproduces one case. */
    public long fuzzSeed() {
        return fuzzSeed;
    }

    /** Cases tried. */
    public long cases() {
        return cases;
    }

    /** Cases that ended with {@code outcome}. */
    public long count(Outcome outcome) {
        return counts.get(outcome);
    }

    /** Cases that broke the contract (FAILED or TIMED_OUT), in order. */
    public List<CaseResult> failures() {
        return List.copyOf(failures);
    }

    /** Unchecked errors under documented exceptions: where thrown -> case numbers. */
    public Map<String, List<Long>> findings() {
        return Map.copyOf(findings);
    }

    /** A multi-line summary: totals, outcomes, seeds, failures and findings with their case numbers. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("fuzz seed %d: %d cases in %.1f s, %d failure(s)%n", fuzzSeed, cases,
                elapsedNanos / 1e9, failures.size()));
        counts.forEach((o, n) -> sb.append(String.format("  %-18s %d%n", o, n)));
        sb.append("  cases per seed model: ").append(casesPerSeedModel).append('\n');
        for (CaseResult f : failures) {
            sb.append("  FAILURE ").append(f.describe()).append('\n');
        }
        findings.forEach((where, ids) -> sb.append("  finding: ").append(where).append(" in ").append(ids.size())
                .append(" case(s), e.g. case ").append(ids.get(0)).append('\n'));
        return sb.toString();
    }
}
