package dev.sprig.prune;

/**
 * What to prune and how much.
 *
 * @param method        the pattern ({@link PruneMethod})
 * @param sparsity      fraction in [0, 1) of weights (unstructured, block: of blocks; N:M: ignored,
 *                      the pattern fixes it at 1 - N/M; channels: of each layer's output channels)
 * @param global        MAGNITUDE only: one threshold over all layers instead of the same sparsity per layer
 * @param criterion     CHANNELS only: how channels are ranked
 * @param n             N of N:M (kept per group)
 * @param m             M of N:M (group length)
 * @param reconstruct   refit the remaining weights (and the bias) of every layer by least squares so
 *                      that its output on the calibration data matches the dense model's
 * @param ridge         ridge of the least-squares refit, relative to the mean diagonal of X^T X
 */
public record PruneConfig(PruneMethod method, double sparsity, boolean global, ChannelCriterion criterion,
                          int n, int m, boolean reconstruct, double ridge) {

    /** Default relative ridge: small enough not to bias the fit, large enough to keep X^T X invertible. */
    public static final double DEFAULT_RIDGE = 1e-3;

    /** Checks the values. */
    public PruneConfig {
        if (method == null) {
            throw new IllegalArgumentException("method must be given");
        }
        if (!(sparsity >= 0 && sparsity < 1)) {
            throw new IllegalArgumentException("sparsity must be in [0, 1), got " + sparsity);
        }
        if (n < 1 || m < 2 || n >= m) {
            throw new IllegalArgumentException("N:M needs 1 <= N < M, got " + n + ":" + m);
        }
        if (!(ridge >= 0)) {
            throw new IllegalArgumentException("ridge must be >= 0, got " + ridge);
        }
        criterion = criterion == null ? ChannelCriterion.L1 : criterion;
    }

    /** {@code method} at {@code sparsity}: per layer, L1 channels, 2:4, no reconstruction. */
    public static PruneConfig of(PruneMethod method, double sparsity) {
        return new PruneConfig(method, sparsity, false, ChannelCriterion.L1, 2, 4, false, DEFAULT_RIDGE);
    }

    /** This config with least-squares reconstruction on or off. */
    public PruneConfig withReconstruct(boolean on) {
        return new PruneConfig(method, sparsity, global, criterion, n, m, on, ridge);
    }

    /** This config with one global magnitude threshold (or per-layer sparsity). */
    public PruneConfig withGlobal(boolean on) {
        return new PruneConfig(method, sparsity, on, criterion, n, m, reconstruct, ridge);
    }

    /** This config with another channel criterion. */
    public PruneConfig withCriterion(ChannelCriterion c) {
        return new PruneConfig(method, sparsity, global, c, n, m, reconstruct, ridge);
    }

    /** This config with another N:M pattern. */
    public PruneConfig withNm(int keep, int group) {
        return new PruneConfig(method, sparsity, global, criterion, keep, group, reconstruct, ridge);
    }

    /** This config with another relative ridge. */
    public PruneConfig withRidge(double r) {
        return new PruneConfig(method, sparsity, global, criterion, n, m, reconstruct, r);
    }

    /** e.g. {@code magnitude 80% global +reconstruct}. */
    public String describe() {
        String what = switch (method) {
            case MAGNITUDE -> "magnitude " + pct() + (global ? " global" : " per-layer");
            case WANDA -> "wanda " + pct();
            case N_M -> n + ":" + m;
            case BLOCK_1X4 -> "block1x4 " + pct();
            case BLOCK_4X4 -> "block4x4 " + pct();
            case CHANNELS -> "channels " + pct() + " " + criterion;
        };
        return what + (reconstruct ? " +reconstruct" : "");
    }

    private String pct() {
        return Math.round(sparsity * 1000) / 10.0 + "%";
    }
}
