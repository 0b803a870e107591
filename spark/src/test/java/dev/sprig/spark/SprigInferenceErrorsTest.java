package dev.sprig.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.core.ModelException;
import dev.sprig.onnx.ModelLoadException;
import dev.sprig.onnx.OnnxModelLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad model or a bad column fails with Sprig's message: on the driver before the job when it can
 * be seen there (the model, the column's name and type), and through Spark's job failure, message
 * intact, when only a row shows it.
 */
class SprigInferenceErrorsTest {

    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = LocalSpark.session();
    }

    private static Dataset<Row> frame(DataType type, Object... values) {
        List<Row> rows = Arrays.stream(values).map(v -> RowFactory.create(v)).toList();
        return spark.createDataFrame(LocalSpark.context().parallelize(rows, 1), new StructType().add("features", type));
    }

    private static Dataset<Row> floats(float[]... rows) {
        return frame(DataTypes.createArrayType(DataTypes.FloatType), (Object[]) rows);
    }

    private static SprigInference dense() {
        return SprigInference.of(TinyModels.dense(true));
    }

    /** The message of whatever reaches the driver, with its causes (Spark wraps task failures). */
    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append('\n');
        }
        return sb.toString();
    }

    @Test
    void corruptModelFileFailsOnTheDriverWithTheLoadersMessage(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("corrupt.onnx");
        byte[] model = TinyModels.dense(true);
        Files.write(file, Arrays.copyOf(model, model.length / 2));
        String loaderSays = assertThrows(ModelLoadException.class, () -> OnnxModelLoader.load(file)).getMessage();

        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> SprigInference.of(file).transform(floats(new float[16])));
        assertEquals(loaderSays, e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    @Test
    void corruptModelBytesNameTheBytes() {
        byte[] garbage = "definitely not a protobuf model".getBytes();
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> SprigInference.of(garbage).transform(floats(new float[16])));
        assertTrue(e.getMessage().startsWith("model bytes (" + garbage.length + " bytes, sha256 "), e.getMessage());
    }

    @Test
    void missingModelFileIsNamed(@TempDir Path dir) {
        Path file = dir.resolve("absent.onnx");
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> SprigInference.of(file).transform(floats(new float[16])));
        assertTrue(e.getMessage().startsWith(file + ": not a regular file"), e.getMessage());
    }

    @Test
    void missingInputColumnListsTheColumns() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dense().inputCol("pixels").transform(floats(new float[16])));
        assertEquals("SprigInference: input column 'pixels' does not exist; the dataset's columns are [features]",
                e.getMessage());
    }

    @Test
    void inputColumnOfAnotherTypeSaysWhatIsExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dense().transform(frame(DataTypes.createArrayType(DataTypes.DoubleType),
                        (Object) new double[16])));
        assertTrue(e.getMessage().startsWith("SprigInference: input column 'features' is array<double>; expected"
                + " array<float> (or binary"), e.getMessage());
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> dense().transform(frame(DataTypes.StringType, "7")));
        assertTrue(s.getMessage().contains("'features' is string; expected array<float>"), s.getMessage());
    }

    @Test
    void existingOutputColumnIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dense().outputCol("features").transform(floats(new float[16])));
        assertTrue(e.getMessage().startsWith("SprigInference: output column 'features' already exists"),
                e.getMessage());
    }

    @Test
    void modelWithTwoInputsIsRefusedOnTheDriver() {
        ModelException e = assertThrows(ModelException.class,
                () -> SprigInference.of(TinyModels.twoInputs()).transform(floats(new float[16])));
        assertTrue(e.getMessage().contains("SprigInference feeds one input column into one model input; the model has 2"
                + " inputs [x:FLOAT[batch,16], y:FLOAT[batch,16]]"), e.getMessage());
    }

    @Test
    void rowOfTheWrongLengthFailsTheJobWithSprigsMessage() {
        Dataset<Row> scored = dense().transform(floats(new float[16], new float[16], new float[15]));
        Exception e = assertThrows(Exception.class, scored::collectAsList);
        String all = messages(e);
        assertTrue(e.getMessage().contains("SprigInference: row 2 of this partition: column 'features' has an array"
                + " of 15 floats; the model input x:FLOAT[batch,16] takes 16 per row"), all);
    }

    @Test
    void binaryOfTheWrongLengthFailsTheJobWithSprigsMessage() {
        Dataset<Row> scored = dense().transform(frame(DataTypes.BinaryType, (Object) new byte[63]));
        Exception e = assertThrows(Exception.class, scored::collectAsList);
        assertTrue(e.getMessage().contains("column 'features' has a binary value of 63 bytes; the model input"
                + " x:FLOAT[batch,16] takes 16 float32 values per row = 64 bytes (little-endian)"), messages(e));
    }

    @Test
    void nullInsideAnArrayIsNamed() {
        Float[] withNull = new Float[16];
        Arrays.fill(withNull, 1f);
        withNull[3] = null;
        Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create((Object) Arrays.asList(withNull))),
                new StructType().add("features", DataTypes.createArrayType(DataTypes.FloatType, true)));
        Exception e = assertThrows(Exception.class, () -> dense().transform(df).collectAsList());
        assertTrue(e.getMessage().contains("column 'features' has null at index 3 of an array; SprigInference needs"
                + " non-null floats"), messages(e));
    }

    @Test
    void badSettingsAreRefusedAtOnce() {
        assertEquals("batchSize must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> dense().batchSize(0)).getMessage());
        assertEquals("threadsPerTask must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> dense().threadsPerTask(0)).getMessage());
        assertEquals("top-k needs k >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> dense().topKCol("top", 0)).getMessage());
    }
}
