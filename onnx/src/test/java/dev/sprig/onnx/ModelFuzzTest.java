package dev.sprig.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.onnx.fuzz.FuzzCorpus;
import dev.sprig.onnx.fuzz.FuzzReport;
import dev.sprig.onnx.fuzz.FuzzSeed;
import dev.sprig.onnx.fuzz.ModelFuzzer;
import dev.sprig.onnx.fuzz.ModelFuzzer.Outcome;
import dev.sprig.onnx.fuzz.ModelMutator;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Mutated testdata models (bit flips, truncation, duplicated fields, huge and negative sizes,
 * swapped types, rewiring) through load, session creation and a run on zero inputs: only the
 * documented exceptions may come out, each case within its deadline, without running out of memory.
 * Seeded and reproducible; {@code -Dsprig.fuzz.cases=N} and {@code -Dsprig.fuzz.seed=S} change
 * the run (the long run is {@code ./sprig fuzz --minutes N}).
 */
class ModelFuzzTest {

    private static final long SEED = Long.getLong("sprig.fuzz.seed", 20_260_611L);
    private static final long CASES = Long.getLong("sprig.fuzz.cases", 3000);
    /** Real models up to this size seed the normal run (mnist-8, shufflenet-int8; MiniLM only in the long run). */
    private static final long MAX_SEED_BYTES = 4L << 20;

    @Test
    void mutantsOnlyThrowTheDocumentedExceptions() {
        List<FuzzSeed> seeds = FuzzCorpus.standard(TestData.root(), MAX_SEED_BYTES);
        Assumptions.assumeFalse(seeds.isEmpty(), () -> TestData.skipReason("models to fuzz"));
        ModelFuzzer fuzzer = new ModelFuzzer(seeds, ModelFuzzer.Settings.defaults());
        FuzzReport report = fuzzer.run(SEED, CASES, Duration.ofSeconds(45), r -> { });
        System.out.print(report.summary());
        assertTrue(report.cases() >= Math.min(CASES, 100), "too few cases ran: " + report.cases());
        // the mutants must reach every stage, or the fuzzer tests only the parser
        assertTrue(report.count(Outcome.REJECTED_AT_LOAD) > 0, report::summary);
        assertTrue(report.count(Outcome.RAN) + report.count(Outcome.REJECTED_AT_RUN) > 0, report::summary);
        assertEquals(List.of(), report.failures().stream().map(ModelFuzzer.CaseResult::describe).toList(),
                "cases that broke the contract (reproduce with sprig fuzz --seed S --case N)");
    }

    @Test
    void aCaseIsReproducedFromItsSeedAndIndex() {
        List<FuzzSeed> seeds = FuzzCorpus.standard(TestData.root(), MAX_SEED_BYTES);
        Assumptions.assumeFalse(seeds.isEmpty(), () -> TestData.skipReason("models to fuzz"));
        FuzzSeed seed = seeds.get(0);
        ModelMutator.Mutant a = ModelMutator.mutate(seed, new Random(42));
        ModelMutator.Mutant b = ModelMutator.mutate(seed, new Random(42));
        assertEquals(a.description(), b.description());
        assertArrayEquals(a.bytes(), b.bytes());
        ModelFuzzer fuzzer = new ModelFuzzer(seeds, ModelFuzzer.Settings.defaults());
        ModelFuzzer.CaseResult first = fuzzer.runCase(7, 3);
        ModelFuzzer.CaseResult again = fuzzer.runCase(7, 3);
        assertEquals(first.mutation(), again.mutation());
        assertEquals(first.outcome(), again.outcome());
    }
}
