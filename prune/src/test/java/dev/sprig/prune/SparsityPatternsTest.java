package dev.sprig.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SparsityPatternsTest {

    @Test
    void magnitudeKeepsExactlyTheWeightsAboveTheSortedThreshold() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + rnd.nextInt(300);
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                // few distinct values so ties are common
                s[i] = rnd.nextInt(trial % 2 == 0 ? 5 : 1000);
            }
            int prune = rnd.nextInt(n + 1);
            boolean[] keep = SparsityPatterns.pruneSmallest(new double[][]{s}, prune)[0];
            // reference: a stable sort of (score, index) pairs; the first `prune` go
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> s[a] != s[b] ? Double.compare(s[a], s[b]) : Integer.compare(a, b));
            boolean[] expected = new boolean[n];
            Arrays.fill(expected, true);
            for (int i = 0; i < prune; i++) {
                expected[order[i]] = false;
            }
            assertTrue(Arrays.equals(expected, keep), "trial " + trial + " n=" + n + " prune=" + prune);
        }
    }

    @Test
    void globalThresholdSpansLayers() {
        double[][] s = {{5, 1, 9}, {2, 8}, {3}};
        boolean[][] keep = SparsityPatterns.pruneSmallest(s, 3);
        // the three smallest overall are 1, 2 and 3: one per layer
        assertTrue(Arrays.equals(new boolean[]{true, false, true}, keep[0]));
        assertTrue(Arrays.equals(new boolean[]{false, true}, keep[1]));
        assertTrue(Arrays.equals(new boolean[]{false}, keep[2]));
    }

    @Test
    void twoOfFourKeepsTheTwoLargestOfEveryGroup() {
        Random rnd = new Random(3);
        int rows = 7;
        int cols = 22; // 5 full groups and a tail of 2
        double[] s = new double[rows * cols];
        for (int i = 0; i < s.length; i++) {
            s[i] = rnd.nextDouble();
        }
        boolean[] keep = SparsityPatterns.nOfM(s, rows, cols, 2, 4);
        for (int o = 0; o < rows; o++) {
            for (int g = 0; g < cols; g += 4) {
                int len = Math.min(4, cols - g);
                int kept = 0;
                double minKept = Double.MAX_VALUE;
                double maxPruned = -1;
                for (int i = g; i < g + len; i++) {
                    double v = s[o * cols + i];
                    if (keep[o * cols + i]) {
                        kept++;
                        minKept = Math.min(minKept, v);
                    } else {
                        maxPruned = Math.max(maxPruned, v);
                    }
                }
                assertEquals(Math.min(2, len), kept, "row " + o + " group at " + g);
                assertTrue(maxPruned < minKept, "row " + o + " group at " + g + ": a pruned score beats a kept one");
            }
        }
    }

    @Test
    void blocksAreRemovedWhole() {
        Random rnd = new Random(11);
        int rows = 9;
        int cols = 13;
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian();
        }
        for (int[] b : new int[][]{{1, 4}, {4, 4}}) {
            boolean[] keep = SparsityPatterns.blocks(w, rows, cols, b[0], b[1], 0.5);
            int blocks = 0;
            int gone = 0;
            for (int i = 0; i < rows; i += b[0]) {
                for (int j = 0; j < cols; j += b[1]) {
                    boolean first = keep[i * cols + j];
                    for (int o = i; o < Math.min(rows, i + b[0]); o++) {
                        for (int r = j; r < Math.min(cols, j + b[1]); r++) {
                            assertEquals(first, keep[o * cols + r], "block " + b[0] + "x" + b[1] + " at " + i + "," + j);
                        }
                    }
                    blocks++;
                    gone += first ? 0 : 1;
                }
            }
            assertEquals(Math.round(0.5 * blocks), gone, "blocks removed, " + b[0] + "x" + b[1]);
        }
    }
}
