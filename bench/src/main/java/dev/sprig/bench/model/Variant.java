package dev.sprig.bench.model;

import dev.sprig.prune.PruneConfig;
import dev.sprig.prune.PruneMethod;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A benchmarked form of the model, by its command-line name:
 * <ul>
 *   <li>{@code fp32}: the model as given, run by Sprig;</li>
 *   <li>{@code onnxruntime}: the same model run by ONNX Runtime Java (the peer);</li>
 *   <li>{@code int8}: quantized by Sprig with static (calibrated) activation scales;</li>
 *   <li>{@code int8-dynamic}: quantized by Sprig with activation scales computed per run;</li>
 *   <li>{@code pruned-<method>-<sparsity>[-refit]}: pruned by Sprig ({@link dev.sprig.prune.Pruner}),
 *       e.g. {@code pruned-magnitude-0.5}; {@code -refit} refits the remaining weights by least
 *       squares on the calibration inputs; the method is one of {@value #METHODS} (2:4 fixes the
 *       sparsity at 0.5, so {@code pruned-2:4} needs none);</li>
 *   <li>{@code pruned-...+int8}: the pruned model, then quantized by Sprig as {@code int8} is,
 *       e.g. {@code pruned-channels-0.25-refit+int8}.</li>
 * </ul>
 *
 * @param name    the name as given (lower case)
 * @param kind    what it is
 * @param pruning how the model is pruned (pruned variants only, else null)
 */
public record Variant(String name, Kind kind, PruneConfig pruning) {

    /** The variant families. */
    public enum Kind { FP32, ONNXRUNTIME, INT8, INT8_DYNAMIC, PRUNED, PRUNED_INT8 }

    /** The pruning methods a pruned variant can name. */
    public static final String METHODS = "magnitude, wanda, 2:4, block1x4, block4x4, channels";

    private static final Map<String, PruneMethod> PRUNE_METHODS = Map.of("magnitude", PruneMethod.MAGNITUDE,
            "wanda", PruneMethod.WANDA, "2:4", PruneMethod.N_M, "block1x4", PruneMethod.BLOCK_1X4,
            "block4x4", PruneMethod.BLOCK_4X4, "channels", PruneMethod.CHANNELS);

    private static final Pattern PRUNED =
            Pattern.compile("pruned-([a-z0-9:]+)(?:-([0-9]*\\.?[0-9]+))?(-refit)?(\\+int8)?");

    /** The variants run when none are asked for. */
    public static final String DEFAULTS = "fp32,onnxruntime,int8,int8-dynamic";

    /** The accepted forms, for help texts and error messages. */
    public static final String FORMS = "fp32, onnxruntime, int8, int8-dynamic, pruned-<method>-<sparsity>[-refit] and"
            + " pruned-<method>-<sparsity>[-refit]+int8 (method " + METHODS + "; e.g. pruned-magnitude-0.5,"
            + " pruned-channels-0.25-refit+int8)";

    /**
     * The variant named {@code text}.
     *
     * @throws IllegalArgumentException for an unknown name, naming the accepted forms; for an
     *                                  unknown pruning method, naming the accepted ones; for a
     *                                  sparsity outside [0, 1)
     */
    public static Variant parse(String text) {
        String n = text.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "fp32" -> {
                return new Variant(n, Kind.FP32, null);
            }
            case "onnxruntime", "ort" -> {
                return new Variant("onnxruntime", Kind.ONNXRUNTIME, null);
            }
            case "int8" -> {
                return new Variant(n, Kind.INT8, null);
            }
            case "int8-dynamic" -> {
                return new Variant(n, Kind.INT8_DYNAMIC, null);
            }
            default -> {
                Matcher m = PRUNED.matcher(n);
                if (!m.matches()) {
                    throw new IllegalArgumentException("unknown variant '" + text + "': expected " + FORMS);
                }
                PruneConfig config = pruning(text, m.group(1), m.group(2)).withReconstruct(m.group(3) != null);
                return new Variant(n, m.group(4) != null ? Kind.PRUNED_INT8 : Kind.PRUNED, config);
            }
        }
    }

    private static PruneConfig pruning(String text, String methodName, String sparsityText) {
        PruneMethod method = PRUNE_METHODS.get(methodName);
        if (method == null) {
            throw new IllegalArgumentException("variant '" + text + "': unknown pruning method '" + methodName
                    + "', expected one of " + METHODS);
        }
        if (method == PruneMethod.N_M) {
            // the 2:4 pattern fixes the sparsity; a stated one must agree with it
            if (sparsityText != null && parseSparsity(text, sparsityText) != 0.5) {
                throw new IllegalArgumentException("variant '" + text + "': 2:4 keeps 2 of every 4 weights, so its"
                        + " sparsity is 0.5, got " + sparsityText);
            }
            return PruneConfig.of(method, 0);
        }
        if (sparsityText == null) {
            throw new IllegalArgumentException("variant '" + text + "': give the sparsity, a fraction in [0, 1), e.g. "
                    + "pruned-" + methodName + "-0.5");
        }
        return PruneConfig.of(method, parseSparsity(text, sparsityText));
    }

    private static double parseSparsity(String text, String sparsityText) {
        double s;
        try {
            s = Double.parseDouble(sparsityText);
        } catch (NumberFormatException e) {
            s = Double.NaN;
        }
        if (!(s >= 0 && s < 1)) {
            throw new IllegalArgumentException("variant '" + text + "': sparsity must be a fraction in [0, 1), got "
                    + sparsityText);
        }
        return s;
    }

    /** True for variants Sprig runs (everything but the peer runtime). */
    public boolean isSprig() {
        return kind != Kind.ONNXRUNTIME;
    }

    /** The pruned variant a {@code +int8} variant quantizes (its name without {@code +int8}); else this. */
    public Variant pruned() {
        return kind == Kind.PRUNED_INT8 ? new Variant(name.substring(0, name.length() - "+int8".length()),
                Kind.PRUNED, pruning) : this;
    }

    @Override
    public String toString() {
        return name;
    }
}
