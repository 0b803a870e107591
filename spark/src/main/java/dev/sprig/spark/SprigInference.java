package dev.sprig.spark;

import dev.sprig.core.ModelException;
import dev.sprig.core.graph.Model;
import dev.sprig.onnx.ModelLoadException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Batch inference with a Sprig model over a Spark {@link Dataset}: one column of input tensors in,
 * the model's output appended as a new column, in Spark's own idiom.
 *
 * <pre>{@code
 * Dataset<Row> scored = SprigInference.of(Path.of("mnist-8.onnx"))
 *         .inputCol("features").outputCol("scores").argmaxCol("label")
 *         .batchSize(64).threadsPerTask(1)
 *         .transform(images);
 * }</pre>
 *
 * <p><b>Input column.</b> Either {@code array<float>}, each row holding the floats of one input
 * row in row-major order (reshaped to the model's declared input shape without its batch
 * dimension, e.g. 784 floats for {@code [1,1,28,28]}), or {@code binary}, each row holding the
 * same floats as little-endian float32 bytes. A null input gives null outputs. The model must have
 * one FLOAT input whose dimensions after the first (the batch) are fixed.
 *
 * <p><b>Output columns.</b> {@code outputCol}: the model's output for the row as
 * {@code array<float>} (the first graph output, or {@link #modelOutput}); optional
 * {@link #argmaxCol} ({@code int}) and {@link #topKCol} ({@code array<int>}, best first; ties go to
 * the lower index).
 *
 * <p><b>Where the model lives.</b> {@link #transform} reads the model on the driver, loads it once
 * there to check it and the column (a corrupt model, an unsupported operator or a wrong column
 * fails here, before any job starts, with Sprig's message), and broadcasts its bytes. Each executor
 * JVM loads it once, into {@link ModelCache} keyed by the bytes' SHA-256, and all its tasks share
 * that session; a model with external tensor data must find the data at the same folder on
 * the executors.
 *
 * <p><b>Batching.</b> Each partition is processed in chunks of {@link #batchSize} rows. When the
 * model's batch dimension is symbolic, a chunk is one run (batch = chunk); when it is fixed at 1
 * (mnist-8, for one), every row is its own run and the batch size only sets how many rows are
 * held at once. Sprig's results do not depend on the thread count, and row-by-row runs do not
 * depend on how rows are partitioned; a batched run's row may differ in the last bits from the
 * same row run alone (the kernels may sum in another order for another batch size).
 *
 * <p><b>Threads.</b> Spark already runs one task per executor core, so each task's session uses
 * {@link #threadsPerTask} threads, 1 by default: more would oversubscribe the cores
 * ({@code spark.executor.cores} tasks times the threads each). Raise it only when executors run
 * fewer concurrent tasks than cores (e.g. {@code spark.task.cpus} &gt; 1, then match it).
 *
 * <p>The JVMs need {@code --add-modules jdk.incubator.vector} for Sprig's vectorised kernels
 * ({@code spark-submit} adds it; see the README's "Run on Spark"); without it Sprig runs its scalar
 * kernels, same results, slower.
 */
public final class SprigInference {

    private static final System.Logger LOG = System.getLogger(SprigInference.class.getName());

    private final Path modelPath;
    private final byte[] modelBytes;
    private String inputCol = "features";
    private String outputCol = "scores";
    private String argmaxCol;
    private String topKCol;
    private int topK;
    private String modelOutput;
    private int batchSize = 64;
    private int threadsPerTask = 1;

    private SprigInference(Path modelPath, byte[] modelBytes) {
        this.modelPath = modelPath;
        this.modelBytes = modelBytes;
    }

    /** Inference with the ONNX model in {@code modelPath}, read on the driver when {@link #transform} runs. */
    public static SprigInference of(Path modelPath) {
        return new SprigInference(Objects.requireNonNull(modelPath, "modelPath"), null);
    }

    /** Inference with the ONNX model serialized in {@code modelBytes} (not copied; do not change them). */
    public static SprigInference of(byte[] modelBytes) {
        return new SprigInference(null, Objects.requireNonNull(modelBytes, "modelBytes"));
    }

    /** The column holding the input tensors ({@code array<float>} or {@code binary}); default {@code features}. */
    public SprigInference inputCol(String column) {
        this.inputCol = Objects.requireNonNull(column, "column");
        return this;
    }

    /** The new column for the model's output ({@code array<float>}); default {@code scores}. */
    public SprigInference outputCol(String column) {
        this.outputCol = Objects.requireNonNull(column, "column");
        return this;
    }

    /** Also add {@code column} ({@code int}): the index of each row's highest output value. */
    public SprigInference argmaxCol(String column) {
        this.argmaxCol = Objects.requireNonNull(column, "column");
        return this;
    }

    /** Also add {@code column} ({@code array<int>}): each row's {@code k} highest outputs' indices, highest first. */
    public SprigInference topKCol(String column, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("top-k needs k >= 1, got " + k);
        }
        this.topKCol = Objects.requireNonNull(column, "column");
        this.topK = k;
        return this;
    }

    /** Which graph output becomes the output column; default the model's first output. */
    public SprigInference modelOutput(String outputName) {
        this.modelOutput = Objects.requireNonNull(outputName, "outputName");
        return this;
    }

    /** Rows per run when the model's batch dimension is symbolic (rows held at once otherwise); default 64. */
    public SprigInference batchSize(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + rows);
        }
        this.batchSize = rows;
        return this;
    }

    /** Sprig's intra-op threads per Spark task; default 1, so that tasks do not oversubscribe the executor's cores. */
    public SprigInference threadsPerTask(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threadsPerTask must be >= 1, got " + threads);
        }
        this.threadsPerTask = threads;
        return this;
    }

    /**
     * The schema {@link #transform} produces from {@code schema}: its columns followed by the
     * output column (and the argmax / top-k columns asked for).
     *
     * @throws IllegalArgumentException when the input column is missing or neither
     *                                  {@code array<float>} nor {@code binary}, or an output column
     *                                  already exists
     */
    public StructType transformSchema(StructType schema) {
        if (!Arrays.asList(schema.fieldNames()).contains(inputCol)) {
            throw new IllegalArgumentException("SprigInference: input column '" + inputCol + "' does not exist;"
                    + " the dataset's columns are " + Arrays.toString(schema.fieldNames()));
        }
        DataType type = schema.apply(inputCol).dataType();
        boolean floats = type instanceof ArrayType a && a.elementType().equals(DataTypes.FloatType);
        if (!floats && !type.equals(DataTypes.BinaryType)) {
            throw new IllegalArgumentException("SprigInference: input column '" + inputCol + "' is "
                    + type.simpleString() + "; expected array<float> (or binary: little-endian float32 bytes);"
                    + " cast other numeric arrays with col(\"" + inputCol + "\").cast(\"array<float>\")");
        }
        StructType out = schema;
        out = add(out, outputCol, DataTypes.createArrayType(DataTypes.FloatType, false));
        if (argmaxCol != null) {
            out = add(out, argmaxCol, DataTypes.IntegerType);
        }
        if (topKCol != null) {
            out = add(out, topKCol, DataTypes.createArrayType(DataTypes.IntegerType, false));
        }
        return out;
    }

    private static StructType add(StructType schema, String column, DataType type) {
        if (Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException("SprigInference: output column '" + column + "' already exists in "
                    + Arrays.toString(schema.fieldNames()) + "; choose another name or drop it first");
        }
        return schema.add(new StructField(column, type, true, Metadata.empty()));
    }

    /**
     * {@code dataset} with the output column(s) added. Lazy, like every Spark transformation: the
     * model runs when an action (write, collect, count...) runs the job. The checks are eager: the
     * model is read and loaded on the driver now.
     *
     * @throws IllegalArgumentException when a column is wrong ({@link #transformSchema})
     * @throws ModelLoadException       when the model cannot be read or is not a model Sprig loads
     *                                  (the message starts with the file name)
     * @throws ModelException           when Sprig cannot run the model (an unsupported operator), or
     *                                  the model's input cannot be fed from one column (not one
     *                                  FLOAT input, row dimensions not fixed, a batch fixed above 1)
     * @throws IllegalStateException    when Sprig's ONNX loader cannot start because an older
     *                                  protobuf-java (Spark's own) comes first on the classpath: use
     *                                  the {@code -all} jar, whose protobuf is relocated
     */
    public Dataset<Row> transform(Dataset<Row> dataset) {
        StructType outSchema = transformSchema(dataset.schema());
        byte[] bytes = modelBytes != null ? modelBytes : read(modelPath);
        String sha256 = ModelCache.sha256(bytes);
        String source = modelPath != null ? modelPath.toString()
                : "model bytes (" + bytes.length + " bytes, sha256 " + sha256.substring(0, 12) + ")";
        Path baseDir = modelPath == null ? null : modelPath.toAbsolutePath().getParent();
        // load and create the session here, once: a bad model fails before the job, with Sprig's message,
        // and in local mode the tasks find it cached
        ModelCache.session(sha256, () -> bytes, baseDir, source, threadsPerTask);
        Model model = ModelCache.model(sha256, () -> bytes, baseDir, source);
        ModelSignature signature;
        try {
            signature = ModelSignature.of(model.graph(), modelOutput);
        } catch (ModelException e) {
            throw new ModelException(source + ": " + e.getMessage(), e);
        }
        if (!signature.batched() && batchSize > 1) {
            LOG.log(Level.INFO, "{0}: input {1} fixes the batch at 1, rows run one at a time", source,
                    signature.input());
        }
        Broadcast<byte[]> broadcast = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext())
                .broadcast(bytes);
        PartitionInference.Settings settings = new PartitionInference.Settings(sha256, source,
                baseDir == null ? null : baseDir.toString(), signature, inputCol,
                dataset.schema().fieldIndex(inputCol), batchSize, threadsPerTask, argmaxCol != null, topK);
        return dataset.mapPartitions(new PartitionInference(broadcast, settings), Encoders.row(outSchema));
    }

    private static byte[] read(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new ModelLoadException(file + ": not a regular file (missing, a folder or a device)");
            }
            return Files.readAllBytes(file);
        } catch (IOException | OutOfMemoryError e) {
            throw new ModelLoadException(file + ": cannot read the model: " + e, e);
        }
    }
}
