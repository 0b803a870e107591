package dev.sprig.quant;

/**
 * Told about each calibration or bias-correction run, for a progress bar: {@code done} of
 * {@code total} model runs of the whole quantization are finished, the current one belonging to
 * {@code phase} ("ranges", "histograms", "bias correction 2/3").
 */
@FunctionalInterface
public interface QuantProgress {

    /** Reports nothing. */
    QuantProgress NONE = (phase, done, total) -> { };

    /** {@code done} of {@code total} runs are finished. */
    void update(String phase, long done, long total);
}
