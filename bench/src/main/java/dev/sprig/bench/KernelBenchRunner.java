package dev.sprig.bench;

import dev.sprig.bench.kernels.PeakBenchmark;
import dev.sprig.bench.kernels.StreamReadBenchmark;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH kernel benchmarks through JMH's Runner API and reports each one as GFLOP/s and a
 * percentage of the peak measured in the same run ({@link PeakBenchmark}), and/or as GB/s and a
 * percentage of the read bandwidth measured in the same run ({@link StreamReadBenchmark}), from
 * the {@link Work} each benchmark class declares. The two denominators always run with the
 * selected benchmarks.
 *
 * <p>A benchmark class may also declare a baseline: {@code public static String baseline()} names
 * its method that runs the reference (e.g. the dense SGEMM beside sparse kernels), and every other
 * method's result then carries {@code speedup_vs_<baseline>}, its speed over the baseline's with the
 * same parameters in the same run; {@code public static Map<String, String> labels(String method,
 * Map<String, String> params)} adds descriptive fields (e.g. {@code format}, {@code sparsity}).
 *
 * <p>A row's arithmetic intensity ({@link Roofline}, FLOP/byte, for the roofline chart) is its
 * flops over its bytes: over {@code public static double minBytes(String method, Map<String,
 * String> params)} when the class declares it (the fewest bytes the computation can move, for
 * compute-bound kernels that report no GB/s), else over the {@link Work}'s bytes when it has both.
 * {@link KernelCharts} draws the bar chart ({@code png}) and the roofline ({@code roofline}).
 */
public final class KernelBenchRunner {

    private static final String PACKAGE = "dev.sprig.bench.kernels.";

    /**
     * What to run. {@code params} overrides JMH parameters (e.g. shape=1024x1024x1024); {@code json},
     * {@code png} and {@code roofline} are files to write, or null.
     */
    public record Request(String filter, List<Integer> threads, Map<String, List<String>> params,
                          boolean quick, Path json, Path png, Path roofline) {
    }

    /** One reported benchmark; {@code intensity} is FLOP/byte, null when its bytes are unknown. */
    public record Row(String benchmark, Map<String, String> params, double score, double scoreError,
                      String unit, Double gflops, Double gbps, Double pctOfPeak, Double pctOfBandwidth,
                      Double intensity, Map<String, String> labels, String baseline, Double speedup) {
    }

    private KernelBenchRunner() {
    }

    /** Runs the request, prints the table to {@code out}, writes the JSON when asked, returns the rows. */
    public static List<Row> run(Request request, PrintStream out) {
        String userFilter = "(?i)(" + request.filter() + ")";
        List<String> includes = new ArrayList<>();
        includes.add(userFilter);
        includes.add(Pattern.quote(PACKAGE + "PeakBenchmark."));
        includes.add(Pattern.quote(PACKAGE + "StreamReadBenchmark."));
        ChainedOptionsBuilder opts = new OptionsBuilder()
                .shouldFailOnError(true)
                .param("threads", request.threads().stream().map(String::valueOf).toArray(String[]::new));
        for (String inc : includes) {
            opts.include(inc);
        }
        request.params().forEach((k, v) -> opts.param(k, v.toArray(String[]::new)));
        if (request.quick()) {
            opts.warmupIterations(2).warmupTime(TimeValue.milliseconds(500))
                    .measurementIterations(3).measurementTime(TimeValue.milliseconds(500));
        }
        Collection<RunResult> results;
        try {
            results = new Runner(opts.build()).run();
        } catch (RunnerException e) {
            throw new IllegalStateException("JMH run failed: " + e.getMessage(), e);
        }
        List<Row> rows = rows(results);
        print(rows, out);
        if (request.json() != null) {
            writeJson(rows, request.json());
            out.println("wrote " + request.json());
        }
        if (request.png() != null) {
            KernelCharts.bars(rows, request.png());
            out.println("wrote " + request.png());
        }
        if (request.roofline() != null) {
            KernelCharts.roofline(rows, request.roofline());
            out.println("wrote " + request.roofline());
        }
        return rows;
    }

    private static List<Row> rows(Collection<RunResult> results) {
        Map<String, Double> peak = new LinkedHashMap<>();
        Map<String, Double> bandwidth = new LinkedHashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            String threads = r.getParams().getParam("threads");
            double score = r.getPrimaryResult().getScore();
            if (name.endsWith("PeakBenchmark.fma")) {
                peak.put(threads, score * PeakBenchmark.flops(Integer.parseInt(threads)) / 1e9);
            } else if (name.endsWith("StreamReadBenchmark.read")) {
                bandwidth.put(threads, score * StreamReadBenchmark.bytes(
                        Integer.parseInt(r.getParams().getParam("floats"))) / 1e9);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (RunResult r : results) {
            String full = r.getParams().getBenchmark();
            String name = full.startsWith(PACKAGE) ? full.substring(PACKAGE.length()) : full;
            Map<String, String> params = new LinkedHashMap<>();
            for (String key : r.getParams().getParamsKeys()) {
                params.put(key, r.getParams().getParam(key));
            }
            String threads = params.get("threads");
            double score = r.getPrimaryResult().getScore();
            double error = r.getPrimaryResult().getScoreError();
            String unit = r.getPrimaryResult().getScoreUnit();
            Double gflops = null;
            Double gbps = null;
            Double pctPeak = null;
            Double pctBw = null;
            Double intensity = null;
            if (name.startsWith("PeakBenchmark")) {
                gflops = peak.get(threads);
                pctPeak = 100.0;
            } else if (name.startsWith("StreamReadBenchmark")) {
                gbps = bandwidth.get(threads);
                pctBw = 100.0;
            } else {
                Work work = work(full, params);
                if (work.flops() > 0) {
                    gflops = score * work.flops() / 1e9;
                    pctPeak = percent(gflops, peak.get(threads));
                }
                if (work.bytes() > 0) {
                    gbps = score * work.bytes() / 1e9;
                    pctBw = percent(gbps, bandwidth.get(threads));
                }
                double bytes = declared(full, "minBytes", params) instanceof Double least ? least : work.bytes();
                if (work.flops() > 0 && bytes > 0) {
                    intensity = Roofline.intensity(work.flops(), bytes);
                }
            }
            String baseline = declared(full, "baseline") instanceof String b ? b : null;
            Double speedup = null;
            if (baseline != null && !full.endsWith("." + baseline)) {
                Double base = baselineScore(results, full.substring(0, full.lastIndexOf('.') + 1) + baseline, params);
                if (base != null && base > 0 && score > 0) {
                    // throughput: higher is faster; time per op: lower is faster
                    speedup = r.getParams().getMode() == org.openjdk.jmh.annotations.Mode.Throughput
                            ? score / base : base / score;
                }
            }
            @SuppressWarnings("unchecked")
            Map<String, String> labels = declared(full, "labels", params) instanceof Map<?, ?> l
                    ? (Map<String, String>) l : Map.of();
            rows.add(new Row(name, params, score, error, unit, gflops, gbps, pctPeak, pctBw, intensity, labels,
                    speedup == null ? null : baseline, speedup));
        }
        return rows;
    }

    /** Score of the baseline method with the same parameters, or null when it did not run. */
    private static Double baselineScore(Collection<RunResult> results, String baselineFull, Map<String, String> params) {
        for (RunResult r : results) {
            if (!r.getParams().getBenchmark().equals(baselineFull)) {
                continue;
            }
            boolean same = true;
            for (String key : r.getParams().getParamsKeys()) {
                same &= r.getParams().getParam(key).equals(params.get(key));
            }
            if (same) {
                return r.getPrimaryResult().getScore();
            }
        }
        return null;
    }

    /**
     * The optional {@code labels(method, params)} or {@code minBytes(method, params)} a benchmark
     * class declares, or null when it declares none.
     */
    private static Object declared(String fullName, String what, Map<String, String> params) {
        int dot = fullName.lastIndexOf('.');
        try {
            var m = Class.forName(fullName.substring(0, dot)).getMethod(what, String.class, Map.class);
            return m.invoke(null, fullName.substring(dot + 1), params);
        } catch (NoSuchMethodException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(fullName + ": " + what + "(String, Map) failed: " + e, e);
        }
    }

    /** The optional {@code baseline()} a benchmark class declares, or null when it declares none. */
    private static Object declared(String fullName, String what) {
        int dot = fullName.lastIndexOf('.');
        try {
            return Class.forName(fullName.substring(0, dot)).getMethod(what).invoke(null);
        } catch (NoSuchMethodException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(fullName + ": " + what + "() failed: " + e, e);
        }
    }

    /** The benchmark class's declared work: {@code static Work work(String method, Map<String, String> params)}. */
    private static Work work(String fullName, Map<String, String> params) {
        int dot = fullName.lastIndexOf('.');
        String className = fullName.substring(0, dot);
        String method = fullName.substring(dot + 1);
        try {
            var m = Class.forName(className).getMethod("work", String.class, Map.class);
            return (Work) m.invoke(null, method, params);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(className + " must declare public static Work work(String, Map<String,String>)", e);
        }
    }

    private static Double percent(Double value, Double of) {
        return value == null || of == null || of == 0 ? null : 100.0 * value / of;
    }

    private static void print(List<Row> rows, PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "%-34s %-44s %14s %9s %9s %8s %8s %9s%n",
                "benchmark", "params", "ops/s", "GFLOP/s", "GB/s", "%peak", "%bw", "x base");
        for (Row r : rows) {
            out.printf(Locale.ROOT, "%-34s %-44s %14.2f %9s %9s %8s %8s %9s%n", r.benchmark(), r.params(), r.score(),
                    fmt(r.gflops()), fmt(r.gbps()), fmt(r.pctOfPeak()), fmt(r.pctOfBandwidth()),
                    r.speedup() == null ? "-" : String.format(Locale.ROOT, "%.2f", r.speedup()));
        }
    }

    private static String fmt(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static void writeJson(List<Row> rows, Path file) {
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            sb.append("  {\"benchmark\": ").append(quote(r.benchmark())).append(", \"params\": {");
            int j = 0;
            for (var e : r.params().entrySet()) {
                sb.append(j++ == 0 ? "" : ", ").append(quote(e.getKey())).append(": ").append(quote(e.getValue()));
            }
            sb.append("}, \"score\": ").append(num(r.score())).append(", \"score_error\": ").append(num(r.scoreError()))
                    .append(", \"unit\": ").append(quote(r.unit()));
            field(sb, "gflops", r.gflops());
            field(sb, "gbps", r.gbps());
            field(sb, "pct_of_peak", r.pctOfPeak());
            field(sb, "pct_of_bandwidth", r.pctOfBandwidth());
            field(sb, "flop_per_byte", r.intensity());
            for (var e : r.labels().entrySet()) {
                sb.append(", ").append(quote(e.getKey())).append(": ").append(labelValue(e.getValue()));
            }
            if (r.speedup() != null) {
                field(sb, "speedup_vs_" + r.baseline(), r.speedup());
            }
            sb.append(i + 1 < rows.size() ? "},\n" : "}\n");
        }
        sb.append("]\n");
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void field(StringBuilder sb, String name, Double v) {
        if (v != null) {
            sb.append(", ").append(quote(name)).append(": ").append(num(v));
        }
    }

    /** A label as a JSON number when it is one (a sparsity), else as a string. */
    private static String labelValue(String v) {
        try {
            if (Double.isFinite(Double.parseDouble(v)) && !v.isBlank()) {
                return v.trim();
            }
        } catch (NumberFormatException e) {
            // not a number: a string label
        }
        return quote(v);
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "null";
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
