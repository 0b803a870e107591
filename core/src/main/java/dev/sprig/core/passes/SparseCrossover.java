package dev.sprig.core.passes;

import dev.sprig.kernels.sparse.SparseFormat;
import java.util.Optional;

/**
 * When a sparse kernel beats the dense SGEMM, from measurements, not a guess. The tables hold the
 * speed-up of each format over the pre-packed dense {@code Sgemm} on the same zero-filled weights,
 * measured by {@code dev.sprig.bench.kernels.SpmmBenchmark} and {@code Spmm2to4Benchmark}
 * (Y[batch x 3072] = X[batch x 768] * W[768 x 3072], batch 1 and 32, one thread) with
 * <pre>
 *   SPRIG_JAVA_OPTS="-XX:UseAVX=2" ./sprig bench kernels --filter spmm --quick --threads 1 --json spmm.json
 * </pre>
 * on the 2-core development VM (AVX-512 hardware run as AVX2), quick runs while other builds
 * loaded it, 2026-11-23. The dense score does not depend on the sparsity parameter, so each speed-up
 * is against the mean of the four dense scores of its batch (batch 1: 6266 ops/s; batch 32: 402).
 * Measured speed-ups (batch 1 / batch 32):
 * <pre>
 *   sparsity        0.5          0.7          0.9          0.95
 *   csr          0.23/0.81    0.29/1.23    0.85/3.07    1.47/5.97
 *   block1x4     0.32/0.72    0.52/1.16    1.27/3.81    2.50/6.06   (sparsity of zero 1x4 blocks)
 *   2:4          0.10/0.90 (50% by construction)
 * </pre>
 * Crossovers: csr 0.91 at batch 1, 0.59 at batch 32; block1x4 0.83 / 0.63; 2:4 never. Each table
 * entry below is the smaller of the two batches, so a layer goes sparse only when it wins at both
 * (the batch is not known when the graph is rewritten). Between the measured sparsities the
 * speed-up is interpolated linearly; the crossover is where it reaches 1.
 */
final class SparseCrossover {

    /** Sparsities the tables were measured at. */
    static final double[] SPARSITY = {0.5, 0.7, 0.9, 0.95};
    /** CSR speed-up over dense at {@link #SPARSITY} (unstructured zeros), min of batch 1 and 32. */
    static final double[] CSR = {0.23, 0.29, 0.85, 1.47};
    /** 1x4 block-CSR speed-up over dense at {@link #SPARSITY} of zero blocks, min of batch 1 and 32. */
    static final double[] BLOCK_1X4 = {0.32, 0.52, 1.27, 2.50};
    /** 2:4 speed-up over dense (50% sparse by construction), min of batch 1 and 32. */
    static final double TWO_FOUR = 0.10;

    private SparseCrossover() {
    }

    /**
     * The format with the best measured speed-up for this weight's zero pattern, when that beats
     * dense. The weight is read as an m x k matrix (outputs x reduction) as it lies, or with
     * {@code transposed} from a row-major k x m array (a MatMul B).
     */
    static Optional<SparseFormat> choose(float[] w, int off, int rows, int cols, boolean transposed) {
        long total = (long) rows * cols;
        if (total == 0) {
            return Optional.empty();
        }
        long zeros = 0;
        long blocks = 0;
        long zeroBlocks = 0;
        boolean twoFour = true;
        for (int r = 0; r < rows; r++) {
            for (int c0 = 0; c0 < cols; c0 += 4) {
                int live = 0;
                int width = Math.min(4, cols - c0);
                for (int c = c0; c < c0 + width; c++) {
                    float v = transposed ? w[off + c * rows + r] : w[off + r * cols + c];
                    live += v != 0f ? 1 : 0;
                }
                zeros += width - live;
                blocks++;
                zeroBlocks += live == 0 ? 1 : 0;
                twoFour &= live <= 2;
            }
        }
        double best = 1.0;
        SparseFormat choice = null;
        double csr = interpolate(CSR, (double) zeros / total);
        if (csr > best) {
            best = csr;
            choice = SparseFormat.CSR;
        }
        double block = interpolate(BLOCK_1X4, (double) zeroBlocks / blocks);
        if (block > best) {
            best = block;
            choice = SparseFormat.BLOCK_1X4;
        }
        if (twoFour && TWO_FOUR > best) {
            choice = SparseFormat.TWO_FOUR;
        }
        return Optional.ofNullable(choice);
    }

    /** The measured speed-up at {@code sparsity}: 0 below the first point, the last one above the end. */
    static double interpolate(double[] speedups, double sparsity) {
        if (sparsity < SPARSITY[0]) {
            return 0.0;
        }
        for (int i = 1; i < SPARSITY.length; i++) {
            if (sparsity <= SPARSITY[i]) {
                double t = (sparsity - SPARSITY[i - 1]) / (SPARSITY[i] - SPARSITY[i - 1]);
                return speedups[i - 1] + t * (speedups[i] - speedups[i - 1]);
            }
        }
        return speedups[speedups.length - 1];
    }
}
