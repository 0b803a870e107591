package dev.sprig.quant;

/**
 * How an activation's clipping range is chosen from its calibration statistics.
 *
 * <ul>
 *   <li>{@link #MIN_MAX}: the smallest and largest value seen; no clipping, widest steps.</li>
 *   <li>{@link #PERCENTILE}: clip |x| at a percentile of its histogram (99.99 by default), so a
 *       few outliers do not stretch the steps of everything else.</li>
 *   <li>{@link #ENTROPY}: the clipping threshold whose quantized histogram is closest to the
 *       original in Kullback-Leibler divergence (the TensorRT method).</li>
 * </ul>
 */
public enum CalibrationMethod {
    MIN_MAX,
    PERCENTILE,
    ENTROPY
}
