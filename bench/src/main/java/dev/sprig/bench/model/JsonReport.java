package dev.sprig.bench.model;

import java.util.List;
import java.util.Locale;

/**
 * The benchmark as a JSON array, one object per model, variant and thread count. Keys:
 * {@code model, variant, threads, status} (null when measured), {@code warmup_runs, warmup_stable,
 * runs, p50_ms, p90_ms, p99_ms, max_ms, mean_ms, throughput_per_s} (the batch-1 loop),
 * {@code throughput_batch8_per_s, throughput_batch32_per_s, throughput_clients_per_s, clients,
 * clients_p99_ms} (concurrent batch-1 callers on one session), {@code throughput_batched_per_s,
 * batched_p99_ms, max_delay_ms} (the same callers through a batching front), {@code weight_bytes,
 * arena_bytes, heap_growth_bytes, accuracy, accuracy_samples} and {@code agreement}
 * (an object {@code max_abs_diff, cosine, top1}); null where a figure does not apply.
 */
public final class JsonReport {

    private JsonReport() {
    }

    /** The rows as a JSON array (pretty-printed, one object per line group). */
    public static String json(List<BenchRow> rows) {
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 0; i < rows.size(); i++) {
            BenchRow r = rows.get(i);
            LatencyStats l = r.latency();
            sb.append("  {");
            field(sb, "model", str(r.model()), true);
            field(sb, "variant", str(r.variant()), false);
            field(sb, "threads", Integer.toString(r.threads()), false);
            field(sb, "status", str(r.status()), false);
            field(sb, "warmup_runs", num(r.warmupRuns()), false);
            field(sb, "warmup_stable", r.warmupStable() == null ? "null" : r.warmupStable().toString(), false);
            field(sb, "runs", l == null ? "null" : Integer.toString(l.runs()), false);
            field(sb, "p50_ms", l == null ? "null" : num(l.p50Ms()), false);
            field(sb, "p90_ms", l == null ? "null" : num(l.p90Ms()), false);
            field(sb, "p99_ms", l == null ? "null" : num(l.p99Ms()), false);
            field(sb, "max_ms", l == null ? "null" : num(l.maxMs()), false);
            field(sb, "mean_ms", l == null ? "null" : num(l.meanMs()), false);
            field(sb, "throughput_per_s", num(r.throughputBatch1()), false);
            field(sb, "throughput_batch8_per_s", num(r.throughputBatch8()), false);
            field(sb, "throughput_batch32_per_s", num(r.throughputBatch32()), false);
            field(sb, "throughput_clients_per_s", num(r.throughputClients()), false);
            field(sb, "clients", num(r.clients()), false);
            field(sb, "clients_p99_ms", num(r.clientsP99Ms()), false);
            field(sb, "throughput_batched_per_s", num(r.throughputBatched()), false);
            field(sb, "batched_p99_ms", num(r.batchedP99Ms()), false);
            field(sb, "max_delay_ms", num(r.maxDelayMs()), false);
            field(sb, "weight_bytes", num(r.weightBytes()), false);
            field(sb, "arena_bytes", num(r.arenaBytes()), false);
            field(sb, "heap_growth_bytes", num(r.heapGrowthBytes()), false);
            field(sb, "accuracy", num(r.accuracy()), false);
            field(sb, "accuracy_samples", num(r.accuracySamples()), false);
            Agreement a = r.agreement();
            field(sb, "agreement", a == null ? "null" : "{\"max_abs_diff\": " + num(a.maxAbsDiff()) + ", \"cosine\": "
                    + num(a.cosine()) + ", \"top1\": " + num(a.top1()) + "}", false);
            sb.append("}").append(i + 1 < rows.size() ? "," : "").append('\n');
        }
        return sb.append("]\n").toString();
    }

    private static void field(StringBuilder sb, String key, String value, boolean first) {
        sb.append(first ? "" : ", ").append('"').append(key).append("\": ").append(value);
    }

    private static String num(Number v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Double d) {
            // JSON has no NaN or infinity
            return d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%.6g", d);
        }
        return v.toString();
    }

    static String str(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
