/**
 * Graph passes: small rewrites that each return an equivalent graph
 * ({@link dev.sprig.core.passes.GraphPass}). {@link dev.sprig.core.passes.GraphOptimizer} is the
 * pipeline a session runs at creation, and its Javadoc gives the order and why: QDQ convolutions to
 * integer ones ({@link dev.sprig.core.passes.QdqFusion}), {@link dev.sprig.core.passes.ConstantFolding},
 * {@link dev.sprig.core.passes.BatchNormFolding}, {@link dev.sprig.core.passes.ConvBiasFolding},
 * {@link dev.sprig.core.passes.MatMulBiasFusion}, {@link dev.sprig.core.passes.EpilogueActivationFusion},
 * {@link dev.sprig.core.passes.SparseWeights} (sparse kernels where the measured crossover says they
 * win) and {@link dev.sprig.core.passes.DeadNodeElimination}. {@code ./sprig inspect MODEL --nodes}
 * lists a model's nodes after them, and with {@code --no-optimize} as loaded.
 */
package dev.sprig.core.passes;
