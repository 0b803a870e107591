package dev.sprig.spark;

/**
 * The classes with the highest scores in one row's output. Ties go to the lower index (as
 * numpy's {@code argmax} does), and NaN ranks below every number, so a row with a NaN score still
 * gets the class of its highest real score.
 */
final class ScoreRanking {

    private ScoreRanking() {
    }

    /** The index of the highest score; 0 for an all-NaN row. */
    static int argmax(float[] scores) {
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (above(scores[i], scores[best])) {
                best = i;
            }
        }
        return best;
    }

    /**
     * The indices of the {@code k} highest scores, highest first.
     *
     * @throws IllegalArgumentException when {@code k} is more than the number of scores
     */
    static int[] topK(float[] scores, int k) {
        if (k > scores.length) {
            throw new IllegalArgumentException("top-" + k + " asked of an output with " + scores.length
                    + " values per row");
        }
        int[] top = new int[k];
        int filled = 0;
        // insertion into a sorted prefix: k is small (top-5 of a few classes to a thousand)
        for (int i = 0; i < scores.length; i++) {
            if (filled == k && !above(scores[i], scores[top[k - 1]])) {
                continue;
            }
            int pos = filled < k ? filled++ : k - 1;
            while (pos > 0 && above(scores[i], scores[top[pos - 1]])) {
                top[pos] = top[pos - 1];
                pos--;
            }
            top[pos] = i;
        }
        return top;
    }

    /** True when {@code a} ranks strictly above {@code b}: a larger number, or a number against NaN. */
    private static boolean above(float a, float b) {
        return a > b || (Float.isNaN(b) && !Float.isNaN(a));
    }
}
