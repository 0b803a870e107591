package dev.sprig.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.FreeBatchRewrite;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.ValueInfo;
import dev.sprig.core.session.Session;
import dev.sprig.core.session.SessionOptions;
import dev.sprig.onnx.OnnxModelLoader;
import dev.sprig.onnx.OnnxModelWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Rows of a partition run in chunks of {@code batchSize}: one run per chunk when the model's batch
 * is symbolic, one run per row when it is fixed at 1. The reference is a plain {@link Session} run
 * on exactly the rows that should share a run; a model whose output depends on its batch mates
 * (x minus the batch mean) shows which rows did.
 */
class SprigInferenceBatchingTest {

    private static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.IntegerType, false)
            .add("features", DataTypes.createArrayType(DataTypes.FloatType, false));

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = LocalSpark.session();
    }

    private static Dataset<Row> frame(float[][] rows, int partitions) {
        List<Row> list = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            list.add(RowFactory.create(i, rows[i]));
        }
        Dataset<Row> df = spark.createDataFrame(LocalSpark.context().parallelize(list, partitions), SCHEMA);
        assertEquals(partitions, df.rdd().getNumPartitions());
        return df;
    }

    /** Plain Session runs over consecutive chunks of {@code batch} rows (null rows left out of their chunk). */
    private static float[][] chunked(byte[] modelBytes, float[][] rows, int from, int to, int batch) {
        Model model = OnnxModelLoader.load(modelBytes, null);
        String input = model.graph().inputs().get(0).name();
        float[][] out = new float[rows.length][];
        try (Session session = Session.create(model, SessionOptions.threads(1))) {
            for (int start = from; start < to; start += batch) {
                List<Integer> ids = new ArrayList<>();
                for (int i = start; i < Math.min(start + batch, to); i++) {
                    if (rows[i] != null) {
                        ids.add(i);
                    }
                }
                if (ids.isEmpty()) {
                    continue;
                }
                int width = rows[ids.get(0)].length;
                float[] x = new float[ids.size() * width];
                for (int r = 0; r < ids.size(); r++) {
                    System.arraycopy(rows[ids.get(r)], 0, x, r * width, width);
                }
                List<ValueInfo.Dim> declared = model.graph().inputs().get(0).shape();
                int[] shape = new int[declared.size()];
                shape[0] = ids.size();
                for (int a = 1; a < shape.length; a++) {
                    shape[a] = (int) declared.get(a).value();
                }
                Tensor y = session.run(Map.of(input, Tensor.of(x, shape))).values().iterator().next();
                int per = y.size() / ids.size();
                for (int r = 0; r < ids.size(); r++) {
                    out[ids.get(r)] = new float[per];
                    System.arraycopy(y.floatData(), r * per, out[ids.get(r)], 0, per);
                }
            }
        }
        return out;
    }

    /** The reference for a dataset split into {@code partitions} slices as parallelize splits it. */
    private static float[][] reference(byte[] model, float[][] rows, int partitions, int batch) {
        float[][] out = new float[rows.length][];
        for (int p = 0; p < partitions; p++) {
            int from = (int) ((long) p * rows.length / partitions);
            int to = (int) ((long) (p + 1) * rows.length / partitions);
            float[][] part = chunked(model, rows, from, to, batch);
            for (int i = from; i < to; i++) {
                out[i] = part[i];
            }
        }
        return out;
    }

    private static void assertSameBits(float[][] expected, List<Row> rows, String what) {
        assertEquals(expected.length, rows.size(), what + ": rows");
        for (Row row : rows) {
            int id = row.getInt(0);
            List<Float> got = row.getList(row.fieldIndex("scores"));
            if (expected[id] == null) {
                assertNull(got, what + ": row " + id);
                continue;
            }
            assertEquals(expected[id].length, got.size(), what + ": row " + id);
            for (int c = 0; c < got.size(); c++) {
                assertEquals(Float.floatToRawIntBits(expected[id][c]), Float.floatToRawIntBits(got.get(c)),
                        what + ": row " + id + " value " + c + ": expected " + expected[id][c] + ", got " + got.get(c));
            }
        }
    }

    @ParameterizedTest(name = "{0} rows, {1} partition(s), batch {2}")
    @CsvSource({"2048, 1, 64", "2048, 2, 64", "2048, 4, 64", "1000, 3, 100", "70, 1, 64"})
    void eachChunkOfAPartitionIsOneRun(int count, int partitions, int batch) {
        byte[] model = TinyModels.batchCentering();
        float[][] rows = TinyModels.randomRows(count, count + partitions);
        List<Row> out = SprigInference.of(model).inputCol("features").outputCol("scores").batchSize(batch)
                .transform(frame(rows, partitions)).collectAsList();
        assertSameBits(reference(model, rows, partitions, batch), out, partitions + " partitions");
    }

    @Test
    void nullRowsGetNullScoresAndLeaveTheirChunk() {
        byte[] model = TinyModels.batchCentering();
        float[][] rows = TinyModels.randomRows(200, 11);
        for (int i = 0; i < rows.length; i += 7) {
            rows[i] = null;
        }
        List<Row> out = SprigInference.of(model).batchSize(32).transform(frame(rows, 2)).collectAsList();
        assertSameBits(reference(model, rows, 2, 32), out, "with nulls");
    }

    @Test
    void aModelWithItsBatchFixedAtOneRunsRowByRow() {
        byte[] model = TinyModels.dense(false);
        float[][] rows = TinyModels.randomRows(300, 3);
        List<Row> out = SprigInference.of(model).batchSize(64).transform(frame(rows, 2)).collectAsList();
        assertSameBits(reference(model, rows, 1, 1), out, "fixed batch 1");
    }

    /**
     * mnist-8 with its batch made symbolic ({@link FreeBatchRewrite}) runs 64 images per run, equal
     * bit for bit to plain runs of the same chunks; next to mnist-8 run image by image the logits
     * may differ in the last bits (another summation order), the predictions should not.
     */
    @Test
    void mnist8WithAFreeBatchRunsInChunks() {
        Mnist mnist = Mnist.get();
        byte[] model = OnnxModelWriter.toBytes(FreeBatchRewrite.of(OnnxModelLoader.load(mnist.modelFile)));
        int count = 2048;
        float[][] rows = new float[count][];
        for (int n = 0; n < count; n++) {
            rows[n] = mnist.images.pixels(n);
        }
        List<Row> out = SprigInference.of(model).batchSize(64).transform(frame(rows, 2)).collectAsList();
        assertSameBits(reference(model, rows, 2, 64), out, "mnist-8, free batch");

        int bitwise = 0;
        int sameDigit = 0;
        double maxRelative = 0;
        for (Row row : out) {
            int id = row.getInt(0);
            List<Float> got = row.getList(row.fieldIndex("scores"));
            float[] alone = mnist.reference[id];
            boolean same = true;
            int best = 0;
            for (int c = 0; c < alone.length; c++) {
                same &= Float.floatToRawIntBits(alone[c]) == Float.floatToRawIntBits(got.get(c));
                maxRelative = Math.max(maxRelative, Math.abs(alone[c] - got.get(c)) / (1 + Math.abs(alone[c])));
                best = got.get(c) > got.get(best) ? c : best;
            }
            bitwise += same ? 1 : 0;
            sameDigit += best == mnist.referenceDigit(id) ? 1 : 0;
        }
        System.out.printf("mnist-8 batch 64 vs image by image: %d/%d rows bitwise equal, %d/%d same digit,"
                + " max relative difference %.2e%n", bitwise, count, sameDigit, count, maxRelative);
        assertTrue(maxRelative < 1e-4, "max relative difference " + maxRelative);
        assertEquals(count, sameDigit, "predictions of batch-64 runs against image-by-image runs");
    }
}
