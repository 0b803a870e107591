package dev.sprig.core.session;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.ValueInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Checks a run's inputs against the graph's declared inputs: every one given, none unknown, the
 * declared element type, rank and fixed dimensions, and each symbolic dimension ({@code batch})
 * the same size wherever it appears. Messages name the input, what was expected and what came.
 */
final class InputCheck {

    private InputCheck() {
    }

    static void check(Graph graph, Map<String, Tensor> inputs) {
        Objects.requireNonNull(inputs, "inputs");
        TreeSet<String> unknown = new TreeSet<>(inputs.keySet());
        Map<String, Long> symbols = new HashMap<>();
        Map<String, String> symbolSource = new HashMap<>();
        for (ValueInfo in : graph.inputs()) {
            unknown.remove(in.name());
            Tensor t = inputs.get(in.name());
            if (t == null) {
                throw new IllegalArgumentException("input '" + in.name() + "' is missing: expected " + in
                        + "; given " + new TreeSet<>(inputs.keySet()));
            }
            if (in.type() != null && t.dtype() != in.type()) {
                throw new IllegalArgumentException("input '" + in.name() + "' must be " + in.type() + ", got "
                        + t.dtype() + " " + t.shape());
            }
            List<ValueInfo.Dim> dims = in.shape();
            if (dims == null) {
                continue;
            }
            if (dims.size() != t.shape().rank()) {
                throw new IllegalArgumentException("input '" + in.name() + "' must have rank " + dims.size() + " "
                        + in + ", got shape " + t.shape());
            }
            for (int a = 0; a < dims.size(); a++) {
                ValueInfo.Dim d = dims.get(a);
                long actual = t.shape().dim(a);
                if (d.isFixed() && d.value() != actual) {
                    throw new IllegalArgumentException("input '" + in.name() + "' dimension " + a + " must be "
                            + d.value() + " " + in + ", got shape " + t.shape());
                }
                if (!d.isFixed() && d.symbol() != null && !d.symbol().isEmpty()) {
                    Long seen = symbols.putIfAbsent(d.symbol(), actual);
                    if (seen != null && seen != actual) {
                        throw new IllegalArgumentException("input '" + in.name() + "' dimension " + a + " ("
                                + d.symbol() + ") is " + actual + ", but " + symbolSource.get(d.symbol())
                                + " gave " + d.symbol() + " = " + seen);
                    }
                    symbolSource.putIfAbsent(d.symbol(), "input '" + in.name() + "'");
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown input(s) " + unknown + ": the model's inputs are "
                    + graph.inputs().stream().map(ValueInfo::name).toList());
        }
    }
}
