package dev.sprig.bench.model;

import java.util.List;
import java.util.Locale;

/**
 * The benchmark as a Markdown table: one row per model, variant and thread count; "n/a" where a
 * figure does not apply, "-" where a variant was not measured (its reason in the last column).
 * The "p50 vs ORT" column is the row's median latency over ONNX Runtime's on the same model and
 * thread count in the same run (below 1: faster than the peer).
 */
public final class MarkdownReport {

    private MarkdownReport() {
    }

    /** The table, header included, lines ending in '\n'. */
    public static String table(List<BenchRow> rows) {
        StringBuilder sb = new StringBuilder();
        int clients = rows.stream().filter(BenchRow::measured).mapToInt(r -> r.clients()).findFirst().orElse(0);
        sb.append("| model | variant | threads | warm-up runs | p50 ms | p90 ms | p99 ms | max ms | p50 vs ORT "
                + "| batch 1 /s | batch 8 /s | batch 32 /s | ").append(clients).append(" clients /s "
                + "| weights MB | arena MB | heap MB | accuracy / agreement |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (BenchRow r : rows) {
            sb.append("| ").append(r.model()).append(" | ").append(r.variant()).append(" | ").append(r.threads());
            if (!r.measured()) {
                sb.append(" |").append(" - |".repeat(13)).append(' ').append(r.status()).append(" |\n");
                continue;
            }
            LatencyStats l = r.latency();
            sb.append(" | ").append(r.warmupRuns()).append(r.warmupStable() ? "" : " (not stable)");
            sb.append(" | ").append(ms(l.p50Ms())).append(" | ").append(ms(l.p90Ms())).append(" | ")
                    .append(ms(l.p99Ms())).append(" | ").append(ms(l.maxMs()));
            sb.append(" | ").append(vsPeer(r, rows));
            sb.append(" | ").append(rate(r.throughputBatch1())).append(" | ").append(rate(r.throughputBatch8()))
                    .append(" | ").append(rate(r.throughputBatch32())).append(" | ").append(rate(r.throughputClients()));
            sb.append(" | ").append(mb(r.weightBytes())).append(" | ").append(mb(r.arenaBytes())).append(" | ")
                    .append(mb(r.heapGrowthBytes()));
            sb.append(" | ").append(quality(r)).append(" |\n");
        }
        return sb.toString();
    }

    /** The accuracy, the agreement with FP32, "reference" for FP32 itself, or "n/a". */
    static String quality(BenchRow r) {
        if (r.accuracy() != null) {
            return String.format(Locale.ROOT, "%.2f%% top-1 (%d images)", 100 * r.accuracy(), r.accuracySamples());
        }
        if (r.agreement() != null) {
            Agreement a = r.agreement();
            return String.format(Locale.ROOT, "top-1 %.1f%%, cosine %.6f, max abs diff %.3g", 100 * a.top1(), a.cosine(),
                    a.maxAbsDiff());
        }
        return r.variant().equals("fp32") ? "reference" : "n/a";
    }

    private static String vsPeer(BenchRow r, List<BenchRow> rows) {
        for (BenchRow p : rows) {
            if (p.measured() && p.variant().equals("onnxruntime") && p.model().equals(r.model())
                    && p.threads() == r.threads()) {
                return String.format(Locale.ROOT, "%.2fx", r.latency().p50Ms() / p.latency().p50Ms());
            }
        }
        return "n/a";
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, v < 10 ? "%.3f" : "%.1f", v);
    }

    private static String rate(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, v < 100 ? "%.1f" : "%.0f", v);
    }

    private static String mb(Long bytes) {
        return bytes == null ? "n/a" : String.format(Locale.ROOT, "%.2f", bytes / 1048576.0);
    }
}
