package dev.sprig.bench.model;

/**
 * Hears about the benchmark's progress: the number of steps up front, then one call per finished
 * step with what comes next. The CLI draws a progress bar; tests pass {@link #NONE}.
 */
public interface BenchProgress {

    /** Ignores everything. */
    BenchProgress NONE = new BenchProgress() {
        @Override
        public void start(int steps) {
        }

        @Override
        public void step(String next) {
        }

        @Override
        public void message(String text) {
        }
    };

    /** The benchmark will make {@code steps} steps. */
    void start(int steps);

    /** One step is done; {@code next} says what runs now. */
    void step(String next);

    /** Shows what is running without finishing a step. */
    void message(String text);
}
