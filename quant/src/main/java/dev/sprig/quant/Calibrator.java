package dev.sprig.quant;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Model;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Activation ranges from calibration data. A first pass over the data records each watched
 * tensor's min and max (all {@link CalibrationMethod#MIN_MAX} needs); the histogram methods make a
 * second pass filling a histogram of |x| over [0, max |x|] and clip there:
 * {@code [max(min, -t), min(max, t)]} for the threshold t of {@link ClippingThreshold}.
 */
public final class Calibrator {

    private final QuantConfig config;

    /** A calibrator for {@code config}'s method, percentile and histogram size. */
    public Calibrator(QuantConfig config) {
        this.config = config;
    }

    /** Number of model runs {@link #ranges} makes over {@code samples} inputs. */
    long runs(int samples) {
        return (long) samples * (config.method() == CalibrationMethod.MIN_MAX ? 1 : 2);
    }

    /**
     * The quantization range of each of {@code tensors} (graph inputs or node outputs of
     * {@code model}) over {@code data}.
     *
     * @throws IllegalArgumentException when the data is empty, or a watched tensor is never
     *                                  computed, is not FLOAT, or holds no finite value
     */
    public Map<String, TensorRange> ranges(Model model, CalibrationData data, Set<String> tensors,
                                           QuantProgress progress) {
        return ranges(model, data, tensors, Map.of(), new HashMap<>(),
                new WatchedRuns.Counter(progress, runs(data.size())));
    }

    /**
     * {@link #ranges(Model, CalibrationData, Set, QuantProgress)}, also accumulating during the
     * first pass the channel means of {@code meanAxes}' tensors (name -> channel axis) into
     * {@code means}.
     */
    Map<String, TensorRange> ranges(Model model, CalibrationData data, Set<String> tensors,
                                    Map<String, Integer> meanAxes, Map<String, ChannelMeans> means,
                                    WatchedRuns.Counter counter) {
        if (data.size() == 0 && !tensors.isEmpty()) {
            throw new IllegalArgumentException("static quantization needs calibration data: got 0 samples for "
                    + tensors.size() + " activations (use dynamic mode to quantize without data)");
        }
        Map<String, float[]> minMax = new HashMap<>();
        meanAxes.forEach((name, axis) -> means.put(name, new ChannelMeans(axis)));
        Set<String> watched = new HashSet<>(tensors);
        watched.addAll(meanAxes.keySet());
        WatchedRuns.run(model, data, watched, (name, t) -> {
            if (tensors.contains(name)) {
                float[] mm = minMax.computeIfAbsent(name, k -> new float[]{Float.POSITIVE_INFINITY,
                    Float.NEGATIVE_INFINITY});
                scan(name, t, mm);
            }
            ChannelMeans m = means.get(name);
            if (m != null) {
                m.add(t);
            }
        }, counter, "ranges");
        for (String name : tensors) {
            float[] mm = minMax.get(name);
            if (mm == null) {
                throw new IllegalArgumentException("activation '" + name + "' was never computed during calibration");
            }
            if (mm[0] > mm[1]) {
                throw new IllegalArgumentException("activation '" + name + "' held no finite value in calibration");
            }
        }
        Map<String, TensorRange> ranges = new LinkedHashMap<>();
        if (config.method() == CalibrationMethod.MIN_MAX) {
            for (String name : tensors) {
                ranges.put(name, new TensorRange(minMax.get(name)[0], minMax.get(name)[1]));
            }
            return ranges;
        }
        Map<String, AbsHistogram> histograms = new HashMap<>();
        for (String name : tensors) {
            float[] mm = minMax.get(name);
            histograms.put(name, new AbsHistogram(config.histogramBins(), Math.max(Math.abs(mm[0]), Math.abs(mm[1]))));
        }
        WatchedRuns.run(model, data, tensors, (name, t) -> {
            Tensor c = t.contiguous();
            histograms.get(name).add(c.floatData(), c.offset(), c.size());
        }, counter, "histograms");
        for (String name : tensors) {
            float[] mm = minMax.get(name);
            AbsHistogram h = histograms.get(name);
            double t = config.method() == CalibrationMethod.PERCENTILE
                    ? ClippingThreshold.percentile(h.counts(), h.binWidth(), config.percentile())
                    // non-negative data spends all 256 levels on [0, t]; signed data half of them
                    : ClippingThreshold.entropy(h.countsWithoutZeros(), h.binWidth(), mm[0] >= 0 ? 256 : 128);
            float threshold = (float) t;
            float lo = Math.max(mm[0], -threshold);
            ranges.put(name, new TensorRange(lo, Math.max(lo, Math.min(mm[1], threshold))));
        }
        return ranges;
    }

    private static void scan(String name, Tensor t, float[] mm) {
        if (t.dtype() != DType.FLOAT) {
            throw new IllegalArgumentException("activation '" + name + "' is " + t.dtype() + ", only FLOAT tensors"
                    + " are quantized");
        }
        Tensor c = t.contiguous();
        float[] x = c.floatData();
        float lo = mm[0];
        float hi = mm[1];
        for (int i = c.offset(); i < c.offset() + c.size(); i++) {
            float v = x[i];
            // NaN and infinities do not set a range
            if (Float.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        mm[0] = lo;
        mm[1] = hi;
    }
}
