package dev.sprig.spark;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * mnist-8 on Spark ({@code local[2]}) against the plain {@link dev.sprig.core.session.Session}
 * reference run outside Spark, image by image: the same bits for every image whatever the
 * partitioning, the same accuracy on the whole test set, one model load per JVM, and the
 * binary and Parquet paths.
 */
class SprigInferenceMnistTest {

    /** Images for the bit-for-bit checks: enough for several chunks per partition, a few seconds each. */
    private static final int SUBSET = 2000;

    private static Mnist mnist;
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        mnist = Mnist.get();
        spark = LocalSpark.session();
    }

    private static Dataset<Row> images(int count, int partitions) {
        Dataset<Row> df = spark.createDataFrame(LocalSpark.context().parallelize(mnist.rows(count), partitions),
                Mnist.SCHEMA);
        assertEquals(partitions, df.rdd().getNumPartitions(), "partitions of the input");
        return df;
    }

    private static SprigInference inference() {
        return SprigInference.of(mnist.modelFile).inputCol("features").outputCol("scores").batchSize(64);
    }

    /** Asserts that {@code scores} holds exactly the reference's bits for image {@code id}. */
    private static void assertReferenceBits(int id, float[] scores) {
        float[] expected = mnist.reference[id];
        assertEquals(expected.length, scores.length, "scores of image " + id);
        for (int c = 0; c < expected.length; c++) {
            assertEquals(Float.floatToRawIntBits(expected[c]), Float.floatToRawIntBits(scores[c]),
                    "image " + id + " class " + c + ": expected " + expected[c] + ", got " + scores[c]);
        }
    }

    private static float[] floats(Row row, String column) {
        List<Float> list = row.getList(row.fieldIndex(column));
        float[] f = new float[list.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = list.get(i);
        }
        return f;
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, 2, 4})
    void scoresEqualPlainSessionRunBitForBit(int partitions) {
        List<Row> out = inference().argmaxCol("label").transform(images(SUBSET, partitions)).collectAsList();
        assertEquals(SUBSET, out.size());
        boolean[] seen = new boolean[SUBSET];
        for (Row row : out) {
            int id = row.getInt(row.fieldIndex("id"));
            seen[id] = true;
            assertReferenceBits(id, floats(row, "scores"));
            assertEquals(mnist.referenceDigit(id), row.getInt(row.fieldIndex("label")), "argmax of image " + id);
        }
        assertTrue(IntStream.range(0, SUBSET).allMatch(i -> seen[i]), "every image came back once");
    }

    @Test
    void accuracyOnTheWholeTestSetEqualsThePlainSessions() {
        int n = mnist.images.size();
        long sparkCorrect = inference().argmaxCol("label").transform(images(n, 2))
                .filter(col("label").equalTo(col("digit"))).count();
        int referenceCorrect = 0;
        for (int i = 0; i < n; i++) {
            referenceCorrect += mnist.referenceDigit(i) == mnist.images.label(i) ? 1 : 0;
        }
        System.out.printf("mnist-8 on Spark local[2]: %d/%d correct (%.2f%%), plain Session %d/%d%n", sparkCorrect,
                n, 100.0 * sparkCorrect / n, referenceCorrect, n);
        assertEquals(referenceCorrect, sparkCorrect);
        // ONNX Runtime gets 9,891 of the 10,000 on raw pixels (data/mnist-8/SOURCE.md): a sanity bound on both
        assertTrue(Math.abs(referenceCorrect - 9891) <= 5, "plain Session accuracy " + referenceCorrect);
    }

    @Test
    void theModelIsLoadedOncePerJvmWhateverThePartitioning() {
        Dataset<Row> scored = inference().transform(images(400, 4));
        // forget the driver's load: the four tasks, two at a time, must load it exactly once between them
        ModelCache.clear();
        int before = ModelCache.loadCount();
        assertEquals(400, scored.collectAsList().size());
        assertEquals(1, ModelCache.loadCount() - before, "model loads by 4 tasks on local[2]");
        for (int partitions : new int[]{1, 2, 4}) {
            assertEquals(400, inference().transform(images(400, partitions)).count());
        }
        assertEquals(1, ModelCache.loadCount() - before, "model loads after three more jobs");
        assertEquals(1, ModelCache.size(), "models cached");
    }

    @Test
    void binaryColumnOfLittleEndianFloatsGivesTheSameScores() {
        List<Row> rows = new ArrayList<>();
        for (int n = 0; n < 500; n++) {
            ByteBuffer b = ByteBuffer.allocate(784 * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float p : mnist.images.pixels(n)) {
                b.putFloat(p);
            }
            rows.add(RowFactory.create(n, b.array()));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("tensor", DataTypes.BinaryType);
        Dataset<Row> df = spark.createDataFrame(LocalSpark.context().parallelize(rows, 2), schema);
        List<Row> out = inference().inputCol("tensor").transform(df).collectAsList();
        assertEquals(500, out.size());
        for (Row row : out) {
            assertReferenceBits(row.getInt(0), floats(row, "scores"));
        }
    }

    @Test
    void topKListsTheHighestScoresFirst() {
        List<Row> out = inference().argmaxCol("label").topKCol("top3", 3).transform(images(300, 2)).collectAsList();
        for (Row row : out) {
            int id = row.getInt(row.fieldIndex("id"));
            float[] ref = mnist.reference[id];
            // independent order: sort the ten indices by reference score, descending, ties by index
            int[] expected = IntStream.range(0, ref.length).boxed()
                    .sorted(Comparator.comparingDouble((Integer c) -> -ref[c]).thenComparingInt(c -> c))
                    .limit(3).mapToInt(Integer::intValue).toArray();
            List<Integer> top = row.getList(row.fieldIndex("top3"));
            assertArrayEquals(expected, top.stream().mapToInt(Integer::intValue).toArray(), "top-3 of image " + id);
            assertEquals(expected[0], row.getInt(row.fieldIndex("label")));
        }
    }

    @Test
    void parquetInParquetOut(@TempDir Path dir) {
        String features = dir.resolve("features.parquet").toString();
        String scores = dir.resolve("scores.parquet").toString();
        images(1000, 2).write().parquet(features);

        Dataset<Row> read = spark.read().parquet(features);
        inference().argmaxCol("label").transform(read).select("id", "scores", "label").write().parquet(scores);

        assertScoresOnDisk(scores, 1000);
    }

    @Test
    void theSprigScoreApplicationScoresAParquetFile(@TempDir Path dir) {
        String features = dir.resolve("features.parquet").toString();
        String scores = dir.resolve("scores.parquet").toString();
        images(600, 3).write().parquet(features);
        long written = SprigScore.run(spark, new String[]{"--model", mnist.modelFile.toString(), "--input", features,
                "--output", scores, "--argmax-col", "label", "--batch", "32"});
        assertEquals(600, written);
        Dataset<Row> back = spark.read().parquet(scores);
        assertEquals(List.of("id", "digit", "scores", "label"), List.of(back.columns()));
        assertScoresOnDisk(scores, 600);
    }

    private static void assertScoresOnDisk(String parquet, int count) {
        List<Row> back = spark.read().parquet(parquet).select("id", "scores", "label").collectAsList();
        assertEquals(count, back.size());
        for (Row row : back) {
            int id = row.getInt(0);
            assertReferenceBits(id, floats(row, "scores"));
            assertEquals(mnist.referenceDigit(id), row.getInt(2));
        }
    }
}
