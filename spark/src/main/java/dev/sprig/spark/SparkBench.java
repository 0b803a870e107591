package dev.sprig.spark;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.FreeBatchRewrite;
import dev.sprig.core.graph.Model;
import dev.sprig.core.session.Session;
import dev.sprig.core.session.SessionOptions;
import dev.sprig.kernels.KernelProvider;
import dev.sprig.onnx.OnnxModelLoader;
import dev.sprig.onnx.OnnxModelWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Throughput of {@link SprigInference} in Spark local mode next to a plain single-threaded
 * {@link Session} loop over the same rows, and the cost per row that Spark adds.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ... dev.sprig.spark.SparkBench --model M.onnx
 *      [--rows 20000] [--batch 64] [--partitions 4] [--repeats 5] [--free-batch] [--binary]
 * </pre>
 *
 * <p>The rows (random pixels 0..255, seeded: the models' cost does not depend on the values) are
 * cached in Spark's memory first, so each timed job reads them from the cache, runs the model
 * (one thread per task) and writes to Spark's {@code noop} sink. Each figure is the best of the
 * repeats after one warm-up run. {@code --free-batch} rewrites a model whose batch is fixed at 1
 * (mnist-8) to a symbolic batch first ({@link FreeBatchRewrite}), so that it runs
 * {@code --batch} rows per run. {@code --binary} feeds the rows as a {@code binary} column of
 * little-endian float32 bytes instead of {@code array<float>}.
 */
public final class SparkBench {

    private record Options(Path model, int rows, int batch, int partitions, int repeats, boolean freeBatch,
                           boolean binary) {
    }

    /** Keeps the loop's copies observable, so the JIT cannot drop them. */
    @SuppressWarnings("unused")
    private static volatile float[] sink;

    private SparkBench() {
    }

    /** Runs the benchmark and prints a Markdown table. */
    public static void main(String[] args) throws IOException {
        Options o = parse(args);
        Model model = OnnxModelLoader.load(o.model());
        if (o.freeBatch()) {
            model = FreeBatchRewrite.of(model);
        }
        byte[] bytes = OnnxModelWriter.toBytes(model);
        ModelSignature signature = ModelSignature.of(model.graph(), null);
        float[][] rows = randomRows(o.rows(), signature.rowElements());

        System.out.printf("model %s%s, input %s, column %s%n", o.model(),
                o.freeBatch() ? " (batch made symbolic)" : "", signature,
                o.binary() ? "binary (float32 LE)" : "array<float>");
        System.out.printf("%d rows, batch %d, %d partitions, best of %d; %s; %d processors; JDK %s%n", o.rows(),
                o.batch(), o.partitions(), o.repeats(), KernelProvider.describe(),
                Runtime.getRuntime().availableProcessors(), Runtime.version());

        double session;
        try (Session plain = Session.create(model, new SessionOptions(1, true))) {
            session = best(o.repeats(), () -> sessionLoop(plain, signature, rows, o.batch()));
        }
        double passThrough = Double.NaN;
        double[] spark = new double[2];
        for (int cores = 1; cores <= 2; cores++) {
            SparkSession s = SparkSession.builder().master("local[" + cores + "]").appName("sprig-spark-bench")
                    .config("spark.ui.enabled", "false").getOrCreate();
            s.sparkContext().setLogLevel("WARN");
            try {
                Dataset<Row> df = cachedRows(s, rows, o.partitions(), o.binary());
                SprigInference inference = SprigInference.of(bytes).inputCol("features").outputCol("scores")
                        .batchSize(o.batch()).threadsPerTask(1);
                spark[cores - 1] = best(o.repeats(), () -> noop(inference.transform(df)));
                if (cores == 1) {
                    passThrough = best(o.repeats(), () -> noop(identity(df)));
                }
                df.unpersist(true);
            } finally {
                s.stop();
            }
        }

        int n = o.rows();
        double usSession = session / n * 1e6;
        double us1 = spark[0] / n * 1e6;
        double us2 = spark[1] / n * 1e6;
        double usPass = passThrough / n * 1e6;
        System.out.println();
        System.out.println("| run | rows/s | µs per row |");
        System.out.println("|---|---:|---:|");
        System.out.printf("| Session loop, 1 thread, no Spark | %,.0f | %.1f |%n", n / session, usSession);
        System.out.printf("| Spark local[1], SprigInference | %,.0f | %.1f |%n", n / spark[0], us1);
        System.out.printf("| Spark local[2], SprigInference | %,.0f | %.1f |%n", n / spark[1], us2);
        System.out.printf("| Spark local[1], rows through mapPartitions, no model | %,.0f | %.1f |%n",
                n / passThrough, usPass);
        System.out.println();
        System.out.printf("local[2] / local[1]: %.2fx%n", spark[0] / spark[1]);
        System.out.printf("Spark's overhead per row (local[1] minus the Session loop): %.1f µs = %.0f%% of the model's"
                + " own %.1f µs per row%n", us1 - usSession, 100 * (us1 - usSession) / usSession, usSession);
    }

    private static Options parse(String[] args) {
        Path model = null;
        int rows = 20_000;
        int batch = 64;
        int partitions = 4;
        int repeats = 5;
        boolean freeBatch = false;
        boolean binary = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model" -> model = Path.of(value(args, ++i));
                case "--rows" -> rows = Integer.parseInt(value(args, ++i));
                case "--batch" -> batch = Integer.parseInt(value(args, ++i));
                case "--partitions" -> partitions = Integer.parseInt(value(args, ++i));
                case "--repeats" -> repeats = Integer.parseInt(value(args, ++i));
                case "--free-batch" -> freeBatch = true;
                case "--binary" -> binary = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; options: --model FILE"
                        + " [--rows N] [--batch B] [--partitions P] [--repeats R] [--free-batch] [--binary]");
            }
        }
        if (model == null || !Files.isRegularFile(model)) {
            throw new IllegalArgumentException("--model FILE is required and must be an ONNX file, got " + model);
        }
        if (rows < 1 || batch < 1 || partitions < 1 || repeats < 1) {
            throw new IllegalArgumentException("--rows, --batch, --partitions and --repeats must be >= 1");
        }
        return new Options(model, rows, batch, partitions, repeats, freeBatch, binary);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static float[][] randomRows(int count, int elements) {
        SplittableRandom r = new SplittableRandom(42);
        float[][] rows = new float[count][elements];
        for (float[] row : rows) {
            for (int i = 0; i < elements; i++) {
                row[i] = r.nextInt(256);
            }
        }
        return rows;
    }

    /** The rows in Spark's in-memory cache, materialised, so that timed jobs read them from there. */
    private static Dataset<Row> cachedRows(SparkSession s, float[][] rows, int partitions, boolean binary) {
        List<Row> list = new ArrayList<>(rows.length);
        for (int i = 0; i < rows.length; i++) {
            list.add(RowFactory.create(i, binary ? littleEndian(rows[i]) : rows[i]));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType, false)
                .add("features", binary ? DataTypes.BinaryType : DataTypes.createArrayType(DataTypes.FloatType, false));
        Dataset<Row> df = s.createDataFrame(JavaSparkContext.fromSparkContext(s.sparkContext())
                .parallelize(list, partitions), schema).cache();
        df.count();
        return df;
    }

    private static byte[] littleEndian(float[] row) {
        ByteBuffer b = ByteBuffer.allocate(row.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(row);
        return b.array();
    }

    /** The rows through mapPartitions unchanged: what Spark costs without the model. */
    private static Dataset<Row> identity(Dataset<Row> df) {
        return df.mapPartitions((MapPartitionsFunction<Row, Row>) it -> it, Encoders.row(df.schema()));
    }

    private static void noop(Dataset<Row> df) {
        df.write().format("noop").mode("overwrite").save();
    }

    /** The same work as a task, outside Spark: chunks of {@code batch} rows, or row by row for a fixed batch of 1. */
    private static void sessionLoop(Session session, ModelSignature signature, float[][] rows, int batch) {
        int per = signature.rowElements();
        int step = signature.batched() ? batch : 1;
        for (int start = 0; start < rows.length; start += step) {
            int n = Math.min(step, rows.length - start);
            float[] x = new float[n * per];
            for (int r = 0; r < n; r++) {
                System.arraycopy(rows[start + r], 0, x, r * per, per);
            }
            Tensor y = session.run(Map.of(signature.inputName(), Tensor.of(x, signature.shape(n))))
                    .get(signature.outputName());
            // copied out per row, as the Spark path does for its score column
            int width = y.size() / n;
            for (int r = 0; r < n; r++) {
                sink = Arrays.copyOfRange(y.floatData(), r * width, (r + 1) * width);
            }
        }
    }

    /** Seconds of the fastest of {@code repeats} timed runs, after one untimed warm-up run. */
    private static double best(int repeats, Runnable run) {
        run.run();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            run.run();
            best = Math.min(best, System.nanoTime() - t0);
        }
        return best / 1e9;
    }
}
