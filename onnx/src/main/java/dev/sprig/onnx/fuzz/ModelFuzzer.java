package dev.sprig.onnx.fuzz;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.ValueInfo;
import dev.sprig.core.session.Session;
import dev.sprig.core.session.SessionOptions;
import dev.sprig.onnx.LoadOptions;
import dev.sprig.onnx.ModelLoadException;
import dev.sprig.onnx.OnnxModelLoader;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs mutants of seed models through the whole path a user's file takes: {@link OnnxModelLoader#load}
 * under {@link LoadOptions} limits, {@link Session#create}, and one {@link Session#run} on zero
 * inputs of the declared shapes (symbolic dimensions as 1). Each case runs in its own thread under
 * a deadline. The contract checked: load throws only {@link ModelLoadException} (and never an
 * internal one), creation only {@link ModelException}, a run only {@link IllegalArgumentException};
 * any other Throwable (an OutOfMemoryError included) or a missed deadline is a failure.
 *
 * <p>Case {@code i} of a fuzz run with seed {@code s} is drawn from {@code new Random(mix(s, i))}, so
 * any case is reproduced alone from the two numbers the report prints.
 */
public final class ModelFuzzer {

    /** How a case ended. */
    public enum Outcome {
        /** The loader rejected the mutant with a ModelLoadException. */
        REJECTED_AT_LOAD,
        /** Session creation rejected it with a ModelException. */
        REJECTED_AT_CREATE,
        /** The run rejected it with an IllegalArgumentException. */
        REJECTED_AT_RUN,
        /** It loaded and ran. */
        RAN,
        /** It loaded and a session was created; its declared inputs are larger than the case allows. */
        NOT_RUN,
        /** Something other than the documented exception came out: a bug. */
        FAILED,
        /** The case missed its deadline: a hang or a runaway computation. */
        TIMED_OUT
    }

    /**
     * One case: where it came from, what was done, how it ended, and, for a failure, the Throwable.
     * {@code finding} notes a documented exception whose cause was an unchecked error (an operator
     * indexing out of bounds instead of checking its input): the contract held, the message is poor.
     */
    public record CaseResult(long fuzzSeed, long index, String seedModel, String mutation, Outcome outcome,
                             Throwable error, String finding) {

        /** One line: case id, seed model, mutation, outcome and the error or finding. */
        public String describe() {
            String detail = error != null ? " " + error : finding != null ? " (" + finding + ")" : "";
            return "case " + index + " (seed " + fuzzSeed + ") on " + seedModel + " [" + mutation + "]: " + outcome
                    + detail;
        }
    }

    /**
     * The limits every case of a fuzz run is held to.
     *
     * @param loadOptions      the loader's limits for every mutant
     * @param sessionOptions   session options (threads, arena limit) for every mutant
     * @param caseTimeout      deadline of one case (load, create and run together)
     * @param maxInputElements the largest declared input a case allocates zeros for
     */
    public record Settings(LoadOptions loadOptions, SessionOptions sessionOptions, Duration caseTimeout,
                           long maxInputElements) {

        /**
         * Limits that keep a case small: 64 MiB of model bytes, 16M elements per tensor, 256 MiB of
         * intermediates per run, one thread, 1M elements per input, 30 s per case.
         */
        public static Settings defaults() {
            return new Settings(new LoadOptions(64L << 20, 1L << 24),
                    new SessionOptions(1, true, 256L << 20), Duration.ofSeconds(30), 1L << 20);
        }
    }

    private final List<FuzzSeed> seeds;
    private final Settings settings;

    /** A fuzzer over {@code seeds} (at least one). */
    public ModelFuzzer(List<FuzzSeed> seeds, Settings settings) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("the fuzzer needs at least one seed model");
        }
        this.seeds = List.copyOf(seeds);
        this.settings = settings;
    }

    /**
     * Runs cases {@code 0, 1, ...} of fuzz seed {@code fuzzSeed} until {@code maxCases} are done or
     * {@code budget} has passed, telling {@code progress} about each.
     */
    public FuzzReport run(long fuzzSeed, long maxCases, Duration budget, Consumer<CaseResult> progress) {
        FuzzReport report = new FuzzReport(fuzzSeed);
        long deadline = System.nanoTime() + budget.toNanos();
        for (long i = 0; i < maxCases && System.nanoTime() < deadline; i++) {
            CaseResult r = runCase(fuzzSeed, i);
            report.add(r);
            progress.accept(r);
        }
        report.finish();
        return report;
    }

    /** Case {@code index} of fuzz seed {@code fuzzSeed}: the same mutant every time. */
    public CaseResult runCase(long fuzzSeed, long index) {
        Random random = new Random(mix(fuzzSeed, index));
        FuzzSeed seed = seeds.get(random.nextInt(seeds.size()));
        ModelMutator.Mutant mutant = ModelMutator.mutate(seed, random);
        AtomicReference<CaseResult> result = new AtomicReference<>();
        Thread worker = new Thread(() -> result.set(evaluate(fuzzSeed, index, seed, mutant)),
                "fuzz-case-" + index);
        worker.setDaemon(true);
        worker.start();
        try {
            worker.join(settings.caseTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for fuzz case " + index, e);
        }
        if (worker.isAlive()) {
            // the thread cannot be stopped safely; it is a daemon and is abandoned to finish alone
            worker.interrupt();
            return new CaseResult(fuzzSeed, index, seed.name(), mutant.description(), Outcome.TIMED_OUT, null,
                    "no result after " + settings.caseTimeout());
        }
        return result.get();
    }

    private CaseResult evaluate(long fuzzSeed, long index, FuzzSeed seed, ModelMutator.Mutant mutant) {
        String stage = "load";
        try {
            Model model;
            try {
                model = OnnxModelLoader.load(mutant.bytes(), seed.dir(), settings.loadOptions());
            } catch (ModelLoadException e) {
                return e.isInternalError()
                        ? result(fuzzSeed, index, seed, mutant, Outcome.FAILED, e, null)
                        : result(fuzzSeed, index, seed, mutant, Outcome.REJECTED_AT_LOAD, null, null);
            }
            stage = "create";
            Session session;
            try {
                session = Session.create(model, settings.sessionOptions());
            } catch (ModelException e) {
                return result(fuzzSeed, index, seed, mutant, Outcome.REJECTED_AT_CREATE, null, uncheckedCause(e));
            }
            stage = "run";
            try (session) {
                Map<String, Tensor> inputs = zeroInputs(model);
                if (inputs == null) {
                    return result(fuzzSeed, index, seed, mutant, Outcome.NOT_RUN, null, null);
                }
                try {
                    session.run(inputs);
                    return result(fuzzSeed, index, seed, mutant, Outcome.RAN, null, null);
                } catch (IllegalArgumentException e) {
                    return result(fuzzSeed, index, seed, mutant, Outcome.REJECTED_AT_RUN, null, uncheckedCause(e));
                }
            }
        } catch (Throwable t) {
            // the point of the fuzzer: whatever escaped the documented exceptions is reported
            return result(fuzzSeed, index, seed, mutant, Outcome.FAILED,
                    new AssertionError(stage + " threw " + t.getClass().getName() + ": " + t.getMessage(), t), null);
        }
    }

    /** Zero tensors of the declared inputs (symbolic dimensions 1), or null when one is larger than allowed. */
    private Map<String, Tensor> zeroInputs(Model model) {
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (ValueInfo in : model.graph().inputs()) {
            DType type = in.type() == null ? DType.FLOAT : in.type();
            List<ValueInfo.Dim> dims = in.shape() == null ? List.of() : in.shape();
            int[] shape = new int[dims.size()];
            long elements = 1;
            for (int a = 0; a < shape.length; a++) {
                long d = dims.get(a).isFixed() ? dims.get(a).value() : 1;
                if (d > settings.maxInputElements()) {
                    return null;
                }
                shape[a] = (int) d;
                elements *= d;
                if (elements > settings.maxInputElements()) {
                    return null;
                }
            }
            inputs.put(in.name(), Tensor.zeros(type, Shape.of(shape)));
        }
        return inputs;
    }

    /**
     * The unchecked error under a documented exception, when there is one: an operator or factory
     * that failed on an index, a null or a cast rather than on a check of its own.
     */
    private static String uncheckedCause(Throwable e) {
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof IndexOutOfBoundsException || c instanceof NullPointerException
                    || c instanceof ClassCastException || c instanceof ArithmeticException
                    || c instanceof NegativeArraySizeException || c instanceof ArrayStoreException) {
                StackTraceElement[] at = c.getStackTrace();
                return c.getClass().getSimpleName() + " at " + (at.length > 0 ? at[0] : "?") + ": " + firstLine(e);
            }
        }
        return null;
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static CaseResult result(long fuzzSeed, long index, FuzzSeed seed, ModelMutator.Mutant mutant,
                                     Outcome outcome, Throwable error, String finding) {
        return new CaseResult(fuzzSeed, index, seed.name(), mutant.description(), outcome, error, finding);
    }

    /** SplitMix64's finaliser over the two numbers: neighbouring cases get unrelated streams. */
    static long mix(long fuzzSeed, long index) {
        long z = fuzzSeed + 0x9E3779B97F4A7C15L * (index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
