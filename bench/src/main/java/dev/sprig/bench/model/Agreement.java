package dev.sprig.bench.model;

import dev.sprig.core.Tensor;
import java.util.List;
import java.util.Map;

/**
 * How closely a variant's outputs follow the reference's (the FP32 variant) on the same inputs,
 * over every output element of every sample: the largest absolute difference, the cosine
 * similarity of the two concatenated output vectors, and the fraction of rows (along each output's
 * last axis) whose arg-max is the same.
 *
 * @param maxAbsDiff largest |variant - reference|
 * @param cosine     cosine similarity of all outputs taken as one vector
 * @param top1       fraction of last-axis rows with the same arg-max, in [0, 1]
 */
public record Agreement(double maxAbsDiff, double cosine, double top1) {

    /**
     * Compares {@code outputs} with {@code reference}, sample by sample and output by output (the
     * same names and shapes).
     *
     * @throws IllegalArgumentException when the samples, names or shapes differ
     */
    public static Agreement of(List<Map<String, Tensor>> reference, List<Map<String, Tensor>> outputs) {
        if (reference.size() != outputs.size() || reference.isEmpty()) {
            throw new IllegalArgumentException("agreement needs the same non-zero number of samples, got "
                    + reference.size() + " reference and " + outputs.size() + " variant");
        }
        double maxAbs = 0;
        double dot = 0;
        double refNorm = 0;
        double outNorm = 0;
        long rows = 0;
        long sameRows = 0;
        for (int s = 0; s < reference.size(); s++) {
            for (Map.Entry<String, Tensor> e : reference.get(s).entrySet()) {
                Tensor want = e.getValue();
                Tensor got = outputs.get(s).get(e.getKey());
                if (got == null || !got.shape().equals(want.shape())) {
                    throw new IllegalArgumentException("output '" + e.getKey() + "' of sample " + s + ": reference "
                            + want.shape() + ", variant " + (got == null ? "missing" : got.shape().toString()));
                }
                double[] a = want.toDoubleArray();
                double[] b = got.toDoubleArray();
                for (int i = 0; i < a.length; i++) {
                    maxAbs = Math.max(maxAbs, Math.abs(a[i] - b[i]));
                    dot += a[i] * b[i];
                    refNorm += a[i] * a[i];
                    outNorm += b[i] * b[i];
                }
                int width = want.shape().rank() == 0 ? 1 : want.shape().dim(want.shape().rank() - 1);
                for (int r = 0; width > 0 && r < a.length / width; r++) {
                    rows++;
                    sameRows += argMax(a, r * width, width) == argMax(b, r * width, width) ? 1 : 0;
                }
            }
        }
        double cosine = refNorm == 0 && outNorm == 0 ? 1 : dot / Math.sqrt(refNorm * outNorm);
        return new Agreement(maxAbs, cosine, rows == 0 ? 1 : (double) sameRows / rows);
    }

    private static int argMax(double[] v, int from, int n) {
        int best = from;
        for (int i = from + 1; i < from + n; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best - from;
    }
}
