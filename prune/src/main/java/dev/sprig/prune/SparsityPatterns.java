package dev.sprig.prune;

import java.util.Arrays;

/**
 * Which weights of a layer matrix {@code W[o][r]} (row-major, {@code rows x cols}) to keep, for each
 * pattern. A mask entry is true for a kept weight. Ties in the score are broken by position (the
 * earlier element is pruned first), so masks are deterministic.
 */
final class SparsityPatterns {

    private SparsityPatterns() {
    }

    /** Keeps all but the {@code prune} smallest scores (over all the arrays together). */
    static boolean[][] pruneSmallest(double[][] scores, long prune) {
        int total = 0;
        for (double[] s : scores) {
            total += s.length;
        }
        if (prune < 0 || prune > total) {
            throw new IllegalArgumentException("cannot prune " + prune + " of " + total + " weights");
        }
        boolean[][] keep = new boolean[scores.length][];
        for (int l = 0; l < scores.length; l++) {
            keep[l] = new boolean[scores[l].length];
            Arrays.fill(keep[l], true);
        }
        if (prune == 0) {
            return keep;
        }
        double[] all = new double[total];
        int at = 0;
        for (double[] s : scores) {
            System.arraycopy(s, 0, all, at, s.length);
            at += s.length;
        }
        Arrays.sort(all);
        double threshold = all[(int) prune - 1];
        long below = 0;
        for (double v : all) {
            if (v < threshold) {
                below++;
            }
        }
        // everything under the threshold goes, then elements equal to it in position order
        long equalToPrune = prune - below;
        for (int l = 0; l < scores.length; l++) {
            for (int i = 0; i < scores[l].length; i++) {
                double v = scores[l][i];
                if (v < threshold) {
                    keep[l][i] = false;
                } else if (v == threshold && equalToPrune > 0) {
                    keep[l][i] = false;
                    equalToPrune--;
                }
            }
        }
        return keep;
    }

    /** Number of elements to prune for {@code sparsity} of {@code count}: rounded to nearest. */
    static long count(double sparsity, long count) {
        return Math.round(sparsity * count);
    }

    /** Per row, all but the {@code round(sparsity x cols)} smallest scores of that row (Wanda's comparison group). */
    static boolean[] pruneSmallestPerRow(double[] scores, int rows, int cols, double sparsity) {
        boolean[] keep = new boolean[rows * cols];
        long prune = count(sparsity, cols);
        for (int o = 0; o < rows; o++) {
            double[] row = Arrays.copyOfRange(scores, o * cols, (o + 1) * cols);
            boolean[] k = pruneSmallest(new double[][]{row}, prune)[0];
            System.arraycopy(k, 0, keep, o * cols, cols);
        }
        return keep;
    }

    /**
     * N:M along each row: in every group of {@code m} consecutive columns starting at column 0, the
     * {@code n} largest scores are kept; a last, shorter group keeps at most {@code n} too.
     */
    static boolean[] nOfM(double[] scores, int rows, int cols, int n, int m) {
        boolean[] keep = new boolean[rows * cols];
        for (int o = 0; o < rows; o++) {
            for (int g = 0; g < cols; g += m) {
                int len = Math.min(m, cols - g);
                double[] group = Arrays.copyOfRange(scores, o * cols + g, o * cols + g + len);
                boolean[] k = pruneSmallest(new double[][]{group}, Math.max(0, len - n))[0];
                System.arraycopy(k, 0, keep, o * cols + g, len);
            }
        }
        return keep;
    }

    /**
     * Blocks of {@code bh} rows x {@code bw} columns (aligned at 0; edge blocks are smaller), removed
     * whole: the {@code round(sparsity x blocks)} blocks with the smallest root-mean-square weight go.
     */
    static boolean[] blocks(float[] w, int rows, int cols, int bh, int bw, double sparsity) {
        int br = (rows + bh - 1) / bh;
        int bc = (cols + bw - 1) / bw;
        double[] rms = new double[br * bc];
        for (int i = 0; i < br; i++) {
            for (int j = 0; j < bc; j++) {
                double sum = 0;
                int n = 0;
                for (int o = i * bh; o < Math.min(rows, (i + 1) * bh); o++) {
                    for (int r = j * bw; r < Math.min(cols, (j + 1) * bw); r++) {
                        sum += (double) w[o * cols + r] * w[o * cols + r];
                        n++;
                    }
                }
                rms[i * bc + j] = Math.sqrt(sum / n);
            }
        }
        boolean[] keepBlock = pruneSmallest(new double[][]{rms}, count(sparsity, rms.length))[0];
        boolean[] keep = new boolean[rows * cols];
        for (int o = 0; o < rows; o++) {
            for (int r = 0; r < cols; r++) {
                keep[o * cols + r] = keepBlock[(o / bh) * bc + r / bw];
            }
        }
        return keep;
    }

    /** |w| as scores. */
    static double[] magnitudes(float[] w) {
        double[] s = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            s[i] = Math.abs(w[i]);
        }
        return s;
    }
}
