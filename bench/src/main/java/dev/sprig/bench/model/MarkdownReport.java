package dev.sprig.bench.model;

import java.util.List;
import java.util.Locale;

/**
 * The benchmark as a Markdown table: one row per model, variant and thread count; "n/a" where a
 * figure does not apply, "-" where a variant was not measured (its reason in the last column).
 * The "p50 vs ORT" column is the row's median latency over ONNX Runtime's on the same model and
 * thread count in the same run (below 1: faster than the peer). The clients columns are concurrent
 * batch-1 callers on one session, then the same callers through a batching front ("batched", Sprig
 * variants of models with a free batch dimension), each with the 99th percentile of its calls.
 * {@link #summary} is the short before/after form: each variant against fp32.
 */
public final class MarkdownReport {

    private MarkdownReport() {
    }

    /** The table, header included, lines ending in '\n'. */
    public static String table(List<BenchRow> rows) {
        StringBuilder sb = new StringBuilder();
        int clients = rows.stream().filter(BenchRow::measured).mapToInt(r -> r.clients()).findFirst().orElse(0);
        sb.append("| model | variant | threads | warm-up runs | p50 ms | p90 ms | p99 ms | max ms | p50 vs ORT "
                + "| batch 1 /s | batch 8 /s | batch 32 /s | ").append(clients).append(" clients /s | ")
                .append(clients).append(" clients p99 ms | ").append(clients).append(" batched /s | batched p99 ms "
                + "| weights MB | arena MB | heap MB | accuracy / agreement |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (BenchRow r : rows) {
            sb.append("| ").append(r.model()).append(" | ").append(r.variant()).append(" | ").append(r.threads());
            if (!r.measured()) {
                sb.append(" |").append(" - |".repeat(16)).append(' ').append(r.status()).append(" |\n");
                continue;
            }
            LatencyStats l = r.latency();
            sb.append(" | ").append(r.warmupRuns()).append(r.warmupStable() ? "" : " (not stable)");
            sb.append(" | ").append(ms(l.p50Ms())).append(" | ").append(ms(l.p90Ms())).append(" | ")
                    .append(ms(l.p99Ms())).append(" | ").append(ms(l.maxMs()));
            sb.append(" | ").append(vsPeer(r, rows));
            sb.append(" | ").append(rate(r.throughputBatch1())).append(" | ").append(rate(r.throughputBatch8()))
                    .append(" | ").append(rate(r.throughputBatch32())).append(" | ").append(rate(r.throughputClients()))
                    .append(" | ").append(ms(r.clientsP99Ms())).append(" | ").append(rate(r.throughputBatched()))
                    .append(" | ").append(ms(r.batchedP99Ms()));
            sb.append(" | ").append(mb(r.weightBytes())).append(" | ").append(mb(r.arenaBytes())).append(" | ")
                    .append(mb(r.heapGrowthBytes()));
            sb.append(" | ").append(quality(r)).append(" |\n");
        }
        return sb.toString();
    }

    /**
     * The before/after table: per variant, accuracy (and its change from fp32 in points), batch-1
     * latency p50/p99 and its ratio to fp32, throughput of the batch-1 loop and of the concurrent
     * clients (and through the batching front when any variant has that figure), weight bytes
     * (and their ratio to fp32) and the planned arena. Baselines are the fp32 row of the same model
     * and thread count; a variant that was not measured shows why.
     */
    public static String summary(List<BenchRow> rows) {
        int clients = rows.stream().filter(BenchRow::measured).mapToInt(r -> r.clients()).findFirst().orElse(0);
        boolean batched = rows.stream().anyMatch(r -> r.throughputBatched() != null);
        StringBuilder sb = new StringBuilder("| variant | threads | accuracy / agreement | vs fp32 | p50 ms | p99 ms "
                + "| p50 vs fp32 | batch 1 /s | " + clients + " clients /s | ");
        sb.append(batched ? clients + " batched /s | batched p99 ms | " : "").append("weights | arena |\n");
        sb.append("|---|---:|---|---:|---:|---:|---:|---:|---:|").append(batched ? "---:|---:|" : "")
                .append("---:|---:|\n");
        int columns = batched ? 11 : 9;
        for (BenchRow r : rows) {
            sb.append("| ").append(r.variant()).append(" | ").append(r.threads()).append(" | ");
            if (!r.measured()) {
                sb.append(r.status()).append(" |").append(" - |".repeat(columns - 1)).append('\n');
                continue;
            }
            BenchRow base = fp32(r, rows);
            sb.append(quality(r)).append(" | ").append(accuracyChange(r, base)).append(" | ")
                    .append(ms(r.latency().p50Ms())).append(" | ").append(ms(r.latency().p99Ms())).append(" | ")
                    .append(base == null ? "n/a" : String.format(Locale.ROOT, "%.2fx",
                            r.latency().p50Ms() / base.latency().p50Ms()))
                    .append(" | ").append(rate(r.throughputBatch1())).append(" | ").append(rate(r.throughputClients()));
            if (batched) {
                sb.append(" | ").append(rate(r.throughputBatched())).append(" | ").append(ms(r.batchedP99Ms()));
            }
            sb.append(" | ").append(size(r.weightBytes()));
            if (base != null && r != base && r.weightBytes() != null && base.weightBytes() != null
                    && base.weightBytes() > 0) {
                sb.append(String.format(Locale.ROOT, " (%.2fx)", (double) r.weightBytes() / base.weightBytes()));
            }
            sb.append(" | ").append(size(r.arenaBytes())).append(" |\n");
        }
        return sb.toString();
    }

    /** The measured fp32 row of {@code r}'s model and thread count, or null. */
    private static BenchRow fp32(BenchRow r, List<BenchRow> rows) {
        for (BenchRow p : rows) {
            if (p.measured() && p.variant().equals("fp32") && p.model().equals(r.model()) && p.threads() == r.threads()) {
                return p;
            }
        }
        return null;
    }

    /** The accuracy change from fp32 in percentage points, "-" for fp32 itself, "n/a" without accuracies. */
    private static String accuracyChange(BenchRow r, BenchRow base) {
        if (r == base) {
            return "-";
        }
        if (base == null || r.accuracy() == null || base.accuracy() == null) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%+.2f pts", 100 * (r.accuracy() - base.accuracy()));
    }

    /** Bytes in KiB below a MiB, else in MiB. */
    private static String size(Long bytes) {
        if (bytes == null) {
            return "n/a";
        }
        return bytes < 1 << 20 ? String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0)
                : String.format(Locale.ROOT, "%.2f MiB", bytes / 1048576.0);
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

    private static String ms(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, v < 10 ? "%.3f" : "%.1f", v);
    }

    private static String rate(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, v < 100 ? "%.1f" : "%.0f", v);
    }

    private static String mb(Long bytes) {
        return bytes == null ? "n/a" : String.format(Locale.ROOT, "%.2f", bytes / 1048576.0);
    }
}
