package dev.sprig.bench.model;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.FreeBatchRewrite;
import dev.sprig.core.graph.Model;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The check a {@link FreeBatchRewrite} must pass before its batch figures are reported: samples 0
 * and 1 stacked into one batch of two give, row by row, what each gives alone in the model as
 * exported. The rewrite assumes every leading 1 in a Reshape target is the batch; a model where one is not would run at batch 2
 * and compute something else, and its throughput figures would measure a different network.
 */
final class FreeBatchCheck {

    /** Row agreement allowed: batch 2 may take other kernel paths (other GEMM widths) than batch 1. */
    private static final double ABSOLUTE = 1e-4;
    private static final double RELATIVE = 1e-3;

    private FreeBatchCheck() {
    }

    /**
     * @param original  the model as exported, batch fixed at 1
     * @param rewritten its {@link FreeBatchRewrite}
     * @throws IllegalArgumentException naming the output and element when a row differs, or why the
     *                                  batch of two does not run
     */
    static void verify(Model original, Model rewritten, InputFactory inputs) {
        Map<String, Tensor> first = inputs.sample(0, 1);
        Map<String, Tensor> second = inputs.sample(1, 1);
        Map<String, Tensor> both = new LinkedHashMap<>();
        for (String name : first.keySet()) {
            both.put(name, Tensor.concatRows(List.of(first.get(name), second.get(name))));
        }
        Map<String, Tensor> alone0;
        Map<String, Tensor> alone1;
        try (SprigRunner runner = new SprigRunner(original, 1)) {
            alone0 = runner.outputs(first);
            alone1 = runner.outputs(second);
        }
        Map<String, Tensor> batched;
        try (SprigRunner runner = new SprigRunner(rewritten, 1)) {
            batched = runner.outputs(both);
        } catch (RuntimeException e) {
            throw refused("a batch of two fails: " + e.getMessage());
        }
        for (Map.Entry<String, Tensor> out : batched.entrySet()) {
            double[] rows = out.getValue().toDoubleArray();
            double[] row0 = alone0.get(out.getKey()).toDoubleArray();
            double[] row1 = alone1.get(out.getKey()).toDoubleArray();
            if (rows.length != row0.length + row1.length) {
                throw refused(out.getKey() + " has " + rows.length + " values at batch 2, expected "
                        + (row0.length + row1.length) + " (twice its " + row0.length + " at batch 1)");
            }
            compare(out.getKey(), 0, rows, 0, row0);
            compare(out.getKey(), 1, rows, row0.length, row1);
        }
    }

    private static void compare(String output, int row, double[] rows, int from, double[] alone) {
        for (int i = 0; i < alone.length; i++) {
            double got = rows[from + i];
            boolean same = Double.compare(got, alone[i]) == 0
                    || Math.abs(got - alone[i]) <= ABSOLUTE + RELATIVE * Math.abs(alone[i]);
            if (!same) {
                throw refused(String.format(Locale.ROOT, "%s row %d element %d is %g at batch 2 but %g alone",
                        output, row, i, got, alone[i]));
            }
        }
    }

    private static IllegalArgumentException refused(String what) {
        return new IllegalArgumentException("--free-batch: the rewritten model does not run sample by sample ("
                + what + "); some Reshape's leading 1 is not the batch, so this model has no free-batch figures");
    }
}
