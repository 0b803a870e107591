package dev.sprig.quant;

import dev.sprig.core.Tensor;
import java.util.List;
import java.util.Map;

/**
 * The inputs a model is calibrated on: one map of graph-input tensors per sample (or batch).
 * Calibration and bias correction iterate it several times, so {@link #iterator()} must start
 * afresh on every call; {@link #size()} is the number of maps, for progress reports.
 */
public interface CalibrationData extends Iterable<Map<String, Tensor>> {

    /** Number of input maps {@link #iterator()} yields. */
    int size();

    /** The given input maps (not copied). */
    static CalibrationData of(List<Map<String, Tensor>> samples) {
        List<Map<String, Tensor>> list = List.copyOf(samples);
        return new CalibrationData() {
            @Override
            public int size() {
                return list.size();
            }

            @Override
            public java.util.Iterator<Map<String, Tensor>> iterator() {
                return list.iterator();
            }
        };
    }

    /** No samples: enough for dynamic quantization, which calibrates nothing. */
    static CalibrationData none() {
        return of(List.of());
    }
}
