package dev.sprig.prune;

/** Told how far {@link Pruner} has got: a phase name and a step count within it (for progress bars). */
@FunctionalInterface
public interface PruneProgress {

    /** No reports. */
    PruneProgress NONE = (phase, done, total) -> { };

    /** {@code done} of {@code total} steps of {@code phase} are finished. */
    void update(String phase, long done, long total);
}
