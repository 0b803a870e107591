package dev.sprig.bench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Attribute;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import dev.sprig.core.graph.ValueInfo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole benchmark run on a tiny synthetic model, and the JSON, Markdown and PNG it writes. */
class ModelBenchmarkTest {

    private static final ModelBenchmark.Timing TINY = new ModelBenchmark.Timing(300, 100, 3, 50, 10, 2, 2, 2);

    private static List<BenchRow> runTiny(PrintStream log) {
        BenchModel model = BenchModel.inMemory("tiny-encoder",
                SyntheticModels.encoder(new SyntheticModels.EncoderSize(1, 16, 2, 32, 4), 9));
        ModelBenchmark.Config config = new ModelBenchmark.Config(
                List.of(Variant.parse("fp32"), Variant.parse("onnxruntime"), Variant.parse("int8"),
                        Variant.parse("pruned-magnitude-0.5"), Variant.parse("pruned-magnitude-0.5+int8")),
                List.of(1, 2), 3, Duration.ofMillis(2), TINY, true, null, Map.of());
        return new ModelBenchmark(config).run(model, BenchProgress.NONE, log);
    }

    @Test
    void jsonHasOneObjectPerVariantAndThreadCountWithTheAgreedKeys(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<BenchRow> rows = runTiny(new PrintStream(log, true, StandardCharsets.UTF_8));
        JsonArray array = JsonParser.parseString(JsonReport.json(rows)).getAsJsonArray();
        assertEquals(10, array.size(), "5 variants x 2 thread counts");
        for (JsonElement e : array) {
            JsonObject o = e.getAsJsonObject();
            for (String key : List.of("model", "variant", "threads", "p50_ms", "p99_ms", "throughput_per_s",
                    "throughput_clients_per_s", "clients_p99_ms", "throughput_batched_per_s", "batched_p99_ms",
                    "max_delay_ms", "weight_bytes", "arena_bytes", "accuracy", "agreement")) {
                assertTrue(o.has(key), "key " + key + " in " + o);
            }
            assertEquals("tiny-encoder", o.get("model").getAsString());
        }
        JsonObject fp32 = array.get(0).getAsJsonObject();
        assertEquals("fp32", fp32.get("variant").getAsString());
        assertEquals(1, fp32.get("threads").getAsInt());
        assertTrue(fp32.get("status").isJsonNull());
        assertTrue(fp32.get("p50_ms").getAsDouble() > 0);
        assertTrue(fp32.get("p99_ms").getAsDouble() >= fp32.get("p50_ms").getAsDouble());
        assertTrue(fp32.get("throughput_per_s").getAsDouble() > 0);
        assertTrue(fp32.get("throughput_batch32_per_s").getAsDouble() > 0, "the encoder's batch is symbolic");
        assertTrue(fp32.get("weight_bytes").getAsLong() > 0);
        assertTrue(fp32.get("arena_bytes").getAsLong() > 0);
        assertEquals(3, fp32.get("clients").getAsInt());
        assertTrue(fp32.get("throughput_batched_per_s").getAsDouble() > 0, "the encoder can be batched");
        assertTrue(fp32.get("batched_p99_ms").getAsDouble() > 0);
        assertEquals(2.0, fp32.get("max_delay_ms").getAsDouble(), 1e-9);

        JsonObject ort = array.get(2).getAsJsonObject();
        assertEquals("onnxruntime", ort.get("variant").getAsString());
        assertTrue(ort.get("arena_bytes").isJsonNull(), "ONNX Runtime reports no arena plan");
        assertTrue(ort.get("throughput_batched_per_s").isJsonNull(), "the batching front is Sprig's");
        JsonObject agreement = ort.get("agreement").getAsJsonObject();
        assertTrue(agreement.get("cosine").getAsDouble() > 0.99999, agreement.toString());
        assertEquals(1.0, agreement.get("top1").getAsDouble(), 0);

        JsonObject int8 = array.get(4).getAsJsonObject();
        assertEquals("int8", int8.get("variant").getAsString());
        assertTrue(int8.get("status").isJsonNull(), int8.toString());
        assertTrue(int8.get("agreement").getAsJsonObject().get("cosine").getAsDouble() > 0.9, int8.toString());

        for (int i : new int[]{6, 8}) {
            JsonObject pruned = array.get(i).getAsJsonObject();
            assertTrue(pruned.get("status").isJsonNull(), pruned.toString());
            assertTrue(pruned.get("p50_ms").getAsDouble() > 0, pruned.toString());
            // half the weights gone: close to fp32, but not equal
            double cosine = pruned.get("agreement").getAsJsonObject().get("cosine").getAsDouble();
            assertTrue(cosine > 0.5 && cosine < 0.999999, pruned.toString());
        }
        assertEquals("pruned-magnitude-0.5+int8", array.get(8).getAsJsonObject().get("variant").getAsString());
        // magnitude pruning keeps every shape, so the composite is quantized exactly as int8 is
        long int8Bytes = array.get(4).getAsJsonObject().get("weight_bytes").getAsLong();
        assertEquals(int8Bytes, array.get(8).getAsJsonObject().get("weight_bytes").getAsLong());
        assertTrue(int8Bytes != array.get(6).getAsJsonObject().get("weight_bytes").getAsLong(), "quantized");

        String table = MarkdownReport.table(rows);
        assertEquals(2 + 10, table.lines().count(), table);
        assertTrue(table.lines().allMatch(l -> l.chars().filter(c -> c == '|').count() == 21), table);
        String summary = MarkdownReport.summary(rows);
        assertEquals(2 + 10, summary.lines().count(), summary);
        assertTrue(summary.lines().allMatch(l -> l.chars().filter(c -> c == '|').count() == 14), summary);
        assertTrue(summary.contains("| 3 batched /s |"), summary);
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("| MatMul |"), "the profile lists MatMul");

        Path png = dir.resolve("chart.png");
        ChartReport.write(rows, png);
        byte[] head = Files.readAllBytes(png);
        assertTrue(head.length > 1000 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G', "a PNG file");
    }

    @Test
    void aModelWithAFixedBatchReportsNoBatchedThroughput() {
        // the fixed batch: declared 1 on axis 0, as mnist-8 does
        ValueInfo in = new ValueInfo("x", DType.FLOAT, List.of(ValueInfo.Dim.of(1), ValueInfo.Dim.of(4)));
        Graph g = new Graph("fixed", List.of(Node.of("r", "Relu", List.of("x"), List.of("y"))), List.of(in),
                List.of(new ValueInfo("y", DType.FLOAT, null)), Map.of(), List.of());
        BenchModel model = BenchModel.inMemory("fixed", new Model(g, Map.of("", 17), 8, "test"));
        ModelBenchmark.Config config = new ModelBenchmark.Config(List.of(Variant.parse("fp32")), List.of(1), 2,
                Duration.ofMillis(2), TINY, false, null, Map.of());
        BenchRow row = new ModelBenchmark(config).run(model, BenchProgress.NONE, System.out).get(0);
        assertTrue(row.measured(), String.valueOf(row.status()));
        assertNull(row.throughputBatch8());
        assertNull(row.throughputBatch32());
        assertTrue(row.throughputClients() > 0);
        assertNull(row.throughputBatched(), "a fixed batch cannot go through the batching front");
        assertNull(row.batchedP99Ms());
        assertTrue(MarkdownReport.table(List.of(row)).contains("| n/a | n/a |"));
        assertTrue(!MarkdownReport.summary(List.of(row)).contains("batched"), "no batched columns without figures");
    }

    @Test
    void theFreeBatchRewriteOfAFixedBatchModelHasBatchFiguresForBothRuntimes() {
        BenchModel model = fixedBatchModel(new long[] {1, 2, 2}).withFreeBatch();
        assertEquals("fixed-free-batch", model.name());
        ModelBenchmark.Config config = new ModelBenchmark.Config(
                List.of(Variant.parse("fp32"), Variant.parse("onnxruntime")), List.of(1), 2,
                Duration.ofMillis(2), TINY, false, null, Map.of());
        for (BenchRow row : new ModelBenchmark(config).run(model, BenchProgress.NONE, System.out)) {
            assertTrue(row.measured(), row.variant() + ": " + row.status());
            assertTrue(row.throughputBatch8() > 0 && row.throughputBatch32() > 0, row.variant());
        }
    }

    @Test
    void aFreeBatchRewriteThatMixesSamplesIsRefused() {
        // x[1,4] -> Transpose [4,1] -> Reshape [1,4] is the identity at batch 1, but the leading 1 of
        // that target is not the batch: rewritten, a batch of two cannot even be reshaped
        ValueInfo in = new ValueInfo("x", DType.FLOAT, List.of(ValueInfo.Dim.of(1), ValueInfo.Dim.of(4)));
        Graph g = new Graph("mixing", List.of(
                new Node("t", "Transpose", "", List.of("x"), List.of("t"),
                        Map.of("perm", Attribute.of("perm", new long[] {1, 0}))),
                Node.of("flat", "Reshape", List.of("t", "shape"), List.of("f")),
                Node.of("soft", "Softmax", List.of("f"), List.of("y"))), List.of(in),
                List.of(new ValueInfo("y", DType.FLOAT, null)),
                Map.of("shape", Tensor.of(new long[] {1, 4}, 2)), List.of());
        BenchModel model = BenchModel.inMemory("mixing", new Model(g, Map.of("", 17), 8, "test")).withFreeBatch();
        ModelBenchmark.Config config = new ModelBenchmark.Config(List.of(Variant.parse("fp32")), List.of(1), 2,
                Duration.ofMillis(2), TINY, false, null, Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ModelBenchmark(config).run(model, BenchProgress.NONE, System.out));
        assertTrue(e.getMessage().startsWith("--free-batch: the rewritten model does not run sample by sample"),
                e.getMessage());
    }

    @Test
    void aFreeBatchModelWhoseRowsMixIsRefused() {
        // Softmax over axis 0 is the batch axis here: alone each sample gives ones, in a batch of two
        // each value is shared with the other sample
        ValueInfo in = new ValueInfo("x", DType.FLOAT, List.of(ValueInfo.Dim.of(1), ValueInfo.Dim.of(4)));
        Graph g = new Graph("axis0", List.of(new Node("soft", "Softmax", "", List.of("x"), List.of("y"),
                Map.of("axis", Attribute.of("axis", 0L)))), List.of(in),
                List.of(new ValueInfo("y", DType.FLOAT, null)), Map.of(), List.of());
        BenchModel model = BenchModel.inMemory("axis0", new Model(g, Map.of("", 17), 8, "test")).withFreeBatch();
        ModelBenchmark.Config config = new ModelBenchmark.Config(List.of(Variant.parse("fp32")), List.of(1), 2,
                Duration.ofMillis(2), TINY, false, null, Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ModelBenchmark(config).run(model, BenchProgress.NONE, System.out));
        assertTrue(e.getMessage().contains("y row 0 element 0 is"), e.getMessage());
    }

    /** x[1,4] -> Reshape to {@code target} -> Relu -> y: a model exported with its batch fixed at 1. */
    private static BenchModel fixedBatchModel(long[] target) {
        ValueInfo in = new ValueInfo("x", DType.FLOAT, List.of(ValueInfo.Dim.of(1), ValueInfo.Dim.of(4)));
        Graph g = new Graph("fixed", List.of(
                Node.of("r", "Reshape", List.of("x", "shape"), List.of("s")),
                Node.of("relu", "Relu", List.of("s"), List.of("y"))), List.of(in),
                List.of(new ValueInfo("y", DType.FLOAT, null)),
                Map.of("shape", Tensor.of(target, target.length)), List.of());
        return BenchModel.inMemory("fixed", new Model(g, Map.of("", 17), 8, "test"));
    }
}
