package dev.sprig.bench.model;

import dev.sprig.core.ModelException;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Model;
import dev.sprig.prune.PruneProgress;
import dev.sprig.prune.PruneResult;
import dev.sprig.prune.Pruner;
import dev.sprig.quant.CalibrationData;
import dev.sprig.quant.QuantConfig;
import dev.sprig.quant.Quantizer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Makes the runner of each {@link Variant} for one model: Sprig sessions over the FP32 model or
 * over the model transformed by Sprig (quantized, pruned), and the ONNX Runtime session over the
 * identical ONNX model. A transformed model is made once and reused for every thread count.
 */
final class VariantFactory {

    private final BenchModel model;
    private final Supplier<List<Map<String, Tensor>>> calibration;
    private final Map<String, Model> transformed = new HashMap<>();
    private List<Map<String, Tensor>> calibrationData;

    /**
     * @param model       the FP32 model
     * @param calibration representative inputs for calibrated transformations (made on first use)
     */
    VariantFactory(BenchModel model, Supplier<List<Map<String, Tensor>>> calibration) {
        this.model = model;
        this.calibration = calibration;
    }

    /**
     * A runner of {@code variant} on {@code threads} threads.
     *
     * @throws VariantUnavailableException when this build cannot make the variant
     */
    VariantRunner open(Variant variant, int threads) throws VariantUnavailableException {
        return switch (variant.kind()) {
            case FP32 -> new SprigRunner(model.model(), threads);
            case ONNXRUNTIME -> new OrtRunner(model.model(), model.onnxBytes(), threads);
            case INT8, INT8_DYNAMIC, PRUNED, PRUNED_INT8 -> new SprigRunner(transform(variant), threads);
        };
    }

    /**
     * Makes what {@link #open} needs besides the session (the transformed model, the ONNX bytes),
     * so that a heap measurement around {@link #open} sees the session only.
     *
     * @throws VariantUnavailableException when this build cannot make the variant
     */
    void preload(Variant variant) throws VariantUnavailableException {
        switch (variant.kind()) {
            case FP32 -> { }
            case ONNXRUNTIME -> model.onnxBytes();
            case INT8, INT8_DYNAMIC, PRUNED, PRUNED_INT8 -> transform(variant);
        }
    }

    /** The model Sprig runs for a quantized or pruned {@code variant}, made once. */
    Model transform(Variant variant) throws VariantUnavailableException {
        Model done = transformed.get(variant.name());
        if (done == null) {
            done = switch (variant.kind()) {
                case INT8, INT8_DYNAMIC -> quantize(model.model(), variant.kind() == Variant.Kind.INT8_DYNAMIC);
                case PRUNED -> prune(variant);
                // the pruned model is shared with the plain pruned variant when both are benchmarked
                case PRUNED_INT8 -> quantize(transform(variant.pruned()), false);
                default -> throw new IllegalStateException(variant + " is not a transformation");
            };
            transformed.put(variant.name(), done);
        }
        return done;
    }

    /** The calibration inputs, made on first use and shared by every transformation. */
    private List<Map<String, Tensor>> calibration() {
        if (calibrationData == null) {
            calibrationData = List.copyOf(calibration.get());
        }
        return calibrationData;
    }

    /**
     * {@code fp32} quantized by Sprig's quant module with its default settings: static INT8 with
     * activation ranges calibrated on {@link #calibration()}, or dynamic (MatMul/Gemm weights INT8,
     * activation scales per run).
     */
    private Model quantize(Model fp32, boolean dynamic) throws VariantUnavailableException {
        QuantConfig config = QuantConfig.defaults().withDynamic(dynamic);
        CalibrationData data = dynamic ? CalibrationData.none() : CalibrationData.of(calibration());
        try {
            return Quantizer.quantize(fp32, data, config);
        } catch (ModelException e) {
            // an already quantized model, or one the quantizer cannot raise to its opset
            throw new VariantUnavailableException("the quantizer does not apply: " + e.getMessage());
        }
    }

    /**
     * The model pruned by Sprig's prune module with the variant's method and sparsity, refitted on
     * {@link #calibration()} when the variant asks for it (Wanda and channel pruning read it too).
     */
    private Model prune(Variant variant) throws VariantUnavailableException {
        PruneResult result;
        try {
            result = Pruner.run(model.model(), variant.pruning(), calibration(), PruneProgress.NONE);
        } catch (ModelException e) {
            throw new VariantUnavailableException("the pruner does not apply: " + e.getMessage());
        }
        // a variant identical to fp32 would report fp32's figures under another name
        if (result.layers().isEmpty()) {
            throw new VariantUnavailableException("the model has no FLOAT Conv, MatMul or Gemm weight to prune"
                    + (result.notes().isEmpty() ? "" : " (" + result.notes().get(0) + ")"));
        }
        if (result.sparsity() == 0) {
            throw new VariantUnavailableException("the pruner removed no weight"
                    + (result.notes().isEmpty() ? "" : ": " + result.notes().get(0)));
        }
        return result.model();
    }
}
