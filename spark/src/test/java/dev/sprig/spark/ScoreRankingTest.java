package dev.sprig.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arrays;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.Comparator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** argmax and top-k against a full sort of the indices (NaN last, ties by index). */
class ScoreRankingTest {

    /** Few distinct values, so ties are common, and NaN now and then. */
    private static final Gen<Float> SCORE = integers().between(-4, 5).map(i -> i == 5 ? Float.NaN : i / 2f);

    private static int[] sorted(float[] s) {
        return IntStream.range(0, s.length).boxed()
                .sorted(Comparator.comparingInt((Integer i) -> Float.isNaN(s[i]) ? 1 : 0)
                        .thenComparingDouble(i -> Float.isNaN(s[i]) ? 0 : -s[i])
                        .thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
    }

    @Test
    void topKIsThePrefixOfTheSortedIndices() {
        qt().forAll(arrays().ofClass(SCORE, Float.class).withLengthBetween(1, 40), integers().between(1, 40))
                .checkAssert((boxed, anyK) -> {
                    int k = Math.min(anyK, boxed.length);
                    float[] s = new float[boxed.length];
                    for (int i = 0; i < s.length; i++) {
                        s[i] = boxed[i];
                    }
                    int[] all = sorted(s);
                    assertArrayEquals(java.util.Arrays.copyOf(all, k), ScoreRanking.topK(s, k));
                    assertEquals(all[0], ScoreRanking.argmax(s));
                });
    }

    @Test
    void edgeCases() {
        assertEquals(0, ScoreRanking.argmax(new float[]{Float.NaN, Float.NaN}));
        assertEquals(1, ScoreRanking.argmax(new float[]{Float.NaN, -1f}));
        assertEquals(0, ScoreRanking.argmax(new float[]{3f, 3f}));
        assertArrayEquals(new int[]{2, 0, 1},
                ScoreRanking.topK(new float[]{1f, Float.NaN, Float.POSITIVE_INFINITY}, 3));
        assertEquals("top-4 asked of an output with 3 values per row", org.junit.jupiter.api.Assertions
                .assertThrows(IllegalArgumentException.class, () -> ScoreRanking.topK(new float[3], 4)).getMessage());
    }
}
