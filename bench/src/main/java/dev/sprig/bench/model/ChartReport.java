package dev.sprig.bench.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The benchmark as one PNG of four bar charts (XChart), one bar group per measured
 * "model variant @threads": batch-1 latency p50 and p99 with the p99 of the concurrent clients'
 * calls (on one session, and through the batching front), throughput (batch 1, 8, 32, clients,
 * batched clients), memory (weights, planned arena, heap growth) and quality (accuracy, or top-1
 * agreement with FP32). A figure that does not apply has no bar; variants that were not measured are left out.
 */
public final class ChartReport {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;

    private ChartReport() {
    }

    /** Writes the charts of {@code rows} to {@code file} as a 2x2 PNG. */
    public static void write(List<BenchRow> rows, Path file) {
        // charts are drawn off screen; no display is needed or wanted
        System.setProperty("java.awt.headless", "true");
        List<BenchRow> measured = rows.stream().filter(BenchRow::measured).toList();
        if (measured.isEmpty()) {
            throw new IllegalArgumentException("no measured rows to chart (every variant was unavailable or failed)");
        }
        boolean oneModel = measured.stream().map(BenchRow::model).distinct().count() == 1;
        List<String> labels = measured.stream()
                .map(r -> (oneModel ? "" : r.model() + " ") + r.variant() + " @" + r.threads()).toList();

        CategoryChart latency = chart("Latency per batch-1 call (" + title(measured, oneModel) + ")", "ms");
        series(latency, "p50", labels, measured, r -> r.latency().p50Ms());
        series(latency, "p99", labels, measured, r -> r.latency().p99Ms());
        int clients = measured.get(0).clients();
        series(latency, clients + " clients p99", labels, measured, BenchRow::clientsP99Ms);
        series(latency, clients + " batched p99", labels, measured, BenchRow::batchedP99Ms);

        CategoryChart throughput = chart("Throughput", "items / s");
        series(throughput, "batch 1", labels, measured, BenchRow::throughputBatch1);
        series(throughput, "batch 8", labels, measured, BenchRow::throughputBatch8);
        series(throughput, "batch 32", labels, measured, BenchRow::throughputBatch32);
        series(throughput, clients + " clients", labels, measured, BenchRow::throughputClients);
        series(throughput, clients + " batched", labels, measured, BenchRow::throughputBatched);

        CategoryChart memory = chart("Memory", "MiB");
        series(memory, "weights", labels, measured, r -> mib(r.weightBytes()));
        series(memory, "arena (planned)", labels, measured, r -> mib(r.arenaBytes()));
        series(memory, "heap growth", labels, measured, r -> mib(r.heapGrowthBytes()));

        boolean accuracy = measured.stream().anyMatch(r -> r.accuracy() != null);
        CategoryChart quality = chart(accuracy ? "Top-1 accuracy" : "Top-1 agreement with fp32", "%");
        quality.getStyler().setYAxisMin(0.0);
        quality.getStyler().setYAxisMax(100.0);
        series(quality, accuracy ? "accuracy" : "agreement", labels, measured, r -> accuracy
                ? percent(r.accuracy()) : r.agreement() != null ? percent(r.agreement().top1())
                : r.variant().equals("fp32") ? Double.valueOf(100) : null);

        try {
            BitmapEncoder.saveBitmap(List.of(latency, throughput, memory, quality), 2, 2, file.toString(),
                    BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String title(List<BenchRow> rows, boolean oneModel) {
        return oneModel ? rows.get(0).model() : "several models";
    }

    private static CategoryChart chart(String title, String yAxis) {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle(yAxis).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        c.getStyler().setXAxisLabelRotation(30);
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        return c;
    }

    private static void series(CategoryChart chart, String name, List<String> labels, List<BenchRow> rows,
                               Function<BenchRow, Double> value) {
        List<Double> ys = new ArrayList<>();
        boolean any = false;
        for (BenchRow r : rows) {
            Double v = value.apply(r);
            ys.add(v);
            any |= v != null;
        }
        if (any) {
            chart.addSeries(name, labels, ys);
        }
    }

    private static Double mib(Long bytes) {
        return bytes == null ? null : bytes / 1048576.0;
    }

    private static Double percent(Double fraction) {
        return fraction == null ? null : 100 * fraction;
    }
}
