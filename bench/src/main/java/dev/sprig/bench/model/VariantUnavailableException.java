package dev.sprig.bench.model;

/**
 * A variant the benchmark cannot build in this build or for this model (a transformation not yet
 * written, a model it does not apply to). The report shows the reason instead of figures.
 */
public final class VariantUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The reason, shown in the report as "not available: reason". */
    public VariantUnavailableException(String reason) {
        super(reason);
    }
}
