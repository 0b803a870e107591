package dev.sprig.prune;

/**
 * What {@link Pruner} removes. All but {@link #CHANNELS} zero individual weights and keep every
 * tensor's shape (the sparse kernels or any dense runtime can run the result); {@link #CHANNELS}
 * physically removes output channels and the matching inputs of their consumers.
 *
 * <p>The patterns are defined on a layer's weight seen as a matrix {@code W[o][r]}: one row per
 * output channel {@code o}, one column per element {@code r} of the reduction (Conv: input
 * channel x kernel row x kernel column, in the ONNX weight's order; Gemm/MatMul: the K index).
 */
public enum PruneMethod {
    /** Smallest |w| first, per layer or over all layers ({@link PruneConfig#global()}). */
    MAGNITUDE,
    /** Wanda: smallest |w| x ||x_r|| per output row, ||x_r|| the L2 norm of the layer's input feature over the calibration data. */
    WANDA,
    /** N:M (2:4 by default): in every group of M consecutive reduction elements of a row, at most N are non-zero. */
    N_M,
    /** Blocks of 1 row x 4 consecutive reduction elements, removed whole by their L2 norm. */
    BLOCK_1X4,
    /** Blocks of 4 rows x 4 consecutive reduction elements, removed whole by their L2 norm. */
    BLOCK_4X4,
    /** Structured: whole output channels of Conv/Gemm/MatMul, physically removed with their consumers' inputs. */
    CHANNELS
}
