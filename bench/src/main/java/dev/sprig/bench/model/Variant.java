package dev.sprig.bench.model;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A benchmarked form of the model, by its command-line name:
 * <ul>
 *   <li>{@code fp32}: the model as given, run by Sprig;</li>
 *   <li>{@code onnxruntime}: the same model run by ONNX Runtime Java (the peer);</li>
 *   <li>{@code int8}: quantized by Sprig with static (calibrated) activation scales;</li>
 *   <li>{@code int8-dynamic}: quantized by Sprig with activation scales computed per run;</li>
 *   <li>{@code pruned-<method>-<sparsity>}: pruned by Sprig, e.g. {@code pruned-magnitude-0.5}.</li>
 * </ul>
 *
 * @param name   the name as given (lower case)
 * @param kind   what it is
 * @param method the pruning method (pruned variants only, else null)
 * @param sparsity the pruned fraction in [0, 1) (pruned variants only, else NaN)
 */
public record Variant(String name, Kind kind, String method, double sparsity) {

    /** The variant families. */
    public enum Kind { FP32, ONNXRUNTIME, INT8, INT8_DYNAMIC, PRUNED }

    private static final Pattern PRUNED = Pattern.compile("pruned-([a-z0-9:]+)-(0?\\.[0-9]+|0)");

    /** The variants run when none are asked for. */
    public static final String DEFAULTS = "fp32,onnxruntime,int8,int8-dynamic";

    /**
     * The variant named {@code text}.
     *
     * @throws IllegalArgumentException for an unknown name, naming the accepted forms
     */
    public static Variant parse(String text) {
        String n = text.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "fp32" -> {
                return new Variant(n, Kind.FP32, null, Double.NaN);
            }
            case "onnxruntime", "ort" -> {
                return new Variant("onnxruntime", Kind.ONNXRUNTIME, null, Double.NaN);
            }
            case "int8" -> {
                return new Variant(n, Kind.INT8, null, Double.NaN);
            }
            case "int8-dynamic" -> {
                return new Variant(n, Kind.INT8_DYNAMIC, null, Double.NaN);
            }
            default -> {
                Matcher m = PRUNED.matcher(n);
                if (m.matches()) {
                    return new Variant(n, Kind.PRUNED, m.group(1), Double.parseDouble(m.group(2)));
                }
                throw new IllegalArgumentException("unknown variant '" + text + "': expected fp32, onnxruntime, int8,"
                        + " int8-dynamic or pruned-<method>-<sparsity> (e.g. pruned-magnitude-0.5)");
            }
        }
    }

    /** True for variants Sprig runs (everything but the peer runtime). */
    public boolean isSprig() {
        return kind != Kind.ONNXRUNTIME;
    }

    @Override
    public String toString() {
        return name;
    }
}
