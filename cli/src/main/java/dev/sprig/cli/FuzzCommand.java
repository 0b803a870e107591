package dev.sprig.cli;

import dev.sprig.onnx.fuzz.FuzzCorpus;
import dev.sprig.onnx.fuzz.FuzzReport;
import dev.sprig.onnx.fuzz.FuzzSeed;
import dev.sprig.onnx.fuzz.ModelFuzzer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sprig fuzz --minutes N}: the long fuzz run of the loader and session on mutated testdata
 * models; exits with 1 when a case broke the contract. {@code --case} reproduces one case.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
        description = {"Fuzz the ONNX loader and session with mutants of the test models.",
            "It loads, prepares and runs mutants of the testdata models (bit flips, truncation, duplicated fields, "
                + "huge and negative sizes, swapped types, rewiring) and checks that only the documented exceptions come "
                + "out, without hangs or running out of memory.",
            "Prints the cases tried per outcome and every failure with its case number; exit code 1 on a failure."},
        footer = {"", "Examples:", "  ./sprig fuzz --minutes 3", "  ./sprig fuzz --seed 42 --case 1234"})
final class FuzzCommand implements Callable<Integer> {

    @Option(names = "--minutes", defaultValue = "1", description = "How long to fuzz (default: ${DEFAULT-VALUE}).")
    double minutes;

    @Option(names = "--seed", description = "Fuzz seed (default: the current time, printed).")
    Long seed;

    @Option(names = "--cases", defaultValue = "" + Long.MAX_VALUE, description = "Stop after this many cases.")
    long cases;

    @Option(names = "--case", paramLabel = "N", description = "Run only case N of --seed and print what it did.")
    Long onlyCase;

    @Option(names = "--testdata", paramLabel = "DIR", defaultValue = "../shared/testdata",
            description = "Test data folder with models/ and onnx-node/ (default: ${DEFAULT-VALUE}).")
    Path testdata;

    @Option(names = "--max-seed-mb", defaultValue = "64",
            description = "Leave out seed models larger than this many MiB (default: ${DEFAULT-VALUE}).")
    long maxSeedMb;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        List<FuzzSeed> seeds = FuzzCorpus.standard(testdata, maxSeedMb << 20);
        if (seeds.isEmpty()) {
            System.err.println("sprig fuzz: no seed models under " + testdata.toAbsolutePath()
                    + " (expected models/*/model.onnx or onnx-node/*/model.onnx); give --testdata DIR");
            return 2;
        }
        long fuzzSeed = seed != null ? seed : System.currentTimeMillis();
        ModelFuzzer fuzzer = new ModelFuzzer(seeds, ModelFuzzer.Settings.defaults());
        if (onlyCase != null) {
            ModelFuzzer.CaseResult r = fuzzer.runCase(fuzzSeed, onlyCase);
            out.println(r.describe());
            if (r.error() != null) {
                r.error().printStackTrace(out);
            }
            return r.error() == null && r.outcome() != ModelFuzzer.Outcome.TIMED_OUT ? 0 : 1;
        }
        out.printf("fuzzing %d seed models for %.1f min, seed %d%n", seeds.size(), minutes, fuzzSeed);
        AtomicLong lastPrint = new AtomicLong(System.nanoTime());
        AtomicLong done = new AtomicLong();
        FuzzReport report = fuzzer.run(fuzzSeed, cases, Duration.ofMillis((long) (minutes * 60_000)), r -> {
            done.incrementAndGet();
            if (r.error() != null || r.outcome() == ModelFuzzer.Outcome.TIMED_OUT) {
                out.println("FAILURE " + r.describe());
            }
            long now = System.nanoTime();
            if (now - lastPrint.get() > 10_000_000_000L) {
                lastPrint.set(now);
                out.println("  ... " + done.get() + " cases");
            }
        });
        out.print(report.summary());
        return report.failures().isEmpty() ? 0 : 1;
    }
}
