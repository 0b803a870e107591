package dev.sprig.kernels.sparse;

import dev.sprig.kernels.testing.FloatData;
import java.util.SplittableRandom;

/** Seeded sparse weight matrices with each format's zero pattern, for the sparse tester. */
final class SparsePatterns {

    private SparsePatterns() {
    }

    /**
     * An m x k matrix with about {@code sparsity} zeros: unstructured for CSR; whole 1x4 blocks for
     * block-CSR (plus a few zeros inside kept blocks); for 2:4 at most 2 nonzeros per group of 4,
     * then further zeros up to the sparsity. A random row and column are emptied half the time.
     */
    static float[] weights(SparseFormat format, int m, int k, double sparsity, long seed) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        float[] w = FloatData.uniform(seed + 7, m * k);
        for (int i = 0; i < w.length; i++) {
            if (w[i] == 0f) {
                w[i] = 0.5f; // keep zeros where the pattern puts them only
            }
        }
        for (int i = 0; i < m; i++) {
            for (int g = 0; g < k; g += 4) {
                int end = Math.min(k, g + 4);
                switch (format) {
                    case CSR -> {
                        for (int p = g; p < end; p++) {
                            if (r.nextDouble() < sparsity) {
                                w[i * k + p] = 0f;
                            }
                        }
                    }
                    case BLOCK_1X4 -> {
                        boolean drop = r.nextDouble() < sparsity;
                        for (int p = g; p < end; p++) {
                            if (drop || r.nextInt(8) == 0) {
                                w[i * k + p] = 0f;
                            }
                        }
                    }
                    case TWO_FOUR -> {
                        int keepA = r.nextInt(4);
                        int keepB = r.nextInt(4);
                        double extra = Math.max(0, (sparsity - 0.5) / 0.5);
                        for (int p = g; p < end; p++) {
                            boolean kept = (p - g == keepA || p - g == keepB) && r.nextDouble() >= extra;
                            if (!kept) {
                                w[i * k + p] = 0f;
                            }
                        }
                    }
                }
            }
        }
        if (m > 0 && k > 0 && r.nextBoolean()) {
            int row = r.nextInt(m);
            int col = r.nextInt(k);
            for (int p = 0; p < k; p++) {
                w[row * k + p] = 0f;
            }
            for (int i = 0; i < m; i++) {
                w[i * k + col] = 0f;
            }
        }
        return w;
    }
}
