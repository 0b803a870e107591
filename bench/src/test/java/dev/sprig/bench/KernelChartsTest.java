package dev.sprig.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.bench.KernelBenchRunner.Row;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelChartsTest {

    @TempDir
    Path dir;

    private static Row row(String benchmark, String size, Double gflops, Double gbps, Double intensity) {
        Map<String, String> params = size == null ? Map.of("threads", "1") : Map.of("size", size, "threads", "1");
        return new Row(benchmark, params, 1, 0, "ops/s", gflops, gbps, null, null, intensity, Map.of(), null, null);
    }

    private static Row withError(Row r, double score, double error) {
        return new Row(r.benchmark(), r.params(), score, error, r.unit(), r.gflops(), r.gbps(), r.pctOfPeak(),
                r.pctOfBandwidth(), r.intensity(), r.labels(), r.baseline(), r.speedup());
    }

    private static final Row PEAK = row("PeakBenchmark.fma", null, 100.0, null, null);
    private static final Row STREAM = row("StreamReadBenchmark.read", null, null, 25.0, null);

    private static BufferedImage read(Path file) throws IOException {
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, file + " is not a readable PNG");
        return image;
    }

    @Test
    void barsDrawOneChartForComputeAndOneMoreForMemoryBoundBenchmarks() throws IOException {
        List<Row> compute = List.of(PEAK, STREAM, row("GemmStepsBenchmark.step1TripleLoop", "256", 1.5, null, 42.7),
                withError(row("GemmStepsBenchmark.step8Sgemm", "256", 80.0, null, 42.7), 2000, 150));
        Path one = dir.resolve("one.png");
        KernelCharts.bars(compute, one);
        BufferedImage image = read(one);
        assertEquals(1100, image.getWidth());
        assertEquals(600, image.getHeight());

        List<Row> mixed = new java.util.ArrayList<>(compute);
        mixed.add(row("ActivationBenchmark.relu", null, null, 20.0, null));
        Path two = dir.resolve("sub/two.png");
        KernelCharts.bars(mixed, two);
        assertEquals(1200, read(two).getHeight());
    }

    @Test
    void barsWithOnlyTheReferencesAreRejected() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> KernelCharts.bars(List.of(PEAK, STREAM), dir.resolve("x.png")));
        assertTrue(e.getMessage().contains("nothing to chart"), e.getMessage());
    }

    @Test
    void rooflineDrawsThePointsUnderTheMeasuredRoofs() throws IOException {
        Path file = dir.resolve("roof.png");
        KernelCharts.roofline(List.of(PEAK, STREAM,
                row("GemmStepsBenchmark.step1TripleLoop", "256", 1.5, null, 42.7),
                row("GemmStepsBenchmark.step1TripleLoop", "512", 0.4, null, 85.3),
                row("GemvBenchmark.sgemv", null, 12.0, 24.0, 0.5)), file);
        assertEquals(1100, read(file).getWidth());
    }

    @Test
    void rooflineNeedsTheBandwidthAndAPointWithAnIntensity() {
        Row step = row("GemmStepsBenchmark.step1TripleLoop", "256", 1.5, null, 42.7);
        var e = assertThrows(IllegalArgumentException.class,
                () -> KernelCharts.roofline(List.of(PEAK, step), dir.resolve("x.png")));
        assertTrue(e.getMessage().contains("StreamReadBenchmark.read"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> KernelCharts.roofline(
                List.of(PEAK, STREAM, row("SgemmBenchmark.sgemm", "256", 80.0, null, null)), dir.resolve("x.png")));
        assertTrue(e.getMessage().contains("nothing to place on the roofline"), e.getMessage());
    }
}
