package dev.sprig.spark;

import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * A ready-made Spark application: scores a Parquet dataset with an ONNX model and writes the
 * result as Parquet, for {@code spark-submit} without writing code.
 *
 * <pre>
 * spark-submit --class dev.sprig.spark.SprigScore sprig-spark-VERSION-all.jar \
 *     --model model.onnx --input images.parquet --output scores.parquet \
 *     [--input-col features] [--output-col scores] [--argmax-col label] [--top-k-col top5 --k 5] \
 *     [--batch 64] [--threads 1]
 * </pre>
 *
 * <p>The output holds every input column except the input tensors, then the score columns. The
 * model file is read on the driver (a local path there) and shipped to the executors.
 */
public final class SprigScore {

    private SprigScore() {
    }

    /** Runs the job on the session {@code spark-submit} configures. */
    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().appName("sprig-score").getOrCreate();
        try {
            long rows = run(spark, args);
            System.out.println("sprig-score: wrote " + rows + " rows");
        } finally {
            spark.stop();
        }
    }

    /**
     * Reads {@code --input}, scores it and writes {@code --output} (replacing it).
     *
     * @return the number of rows written
     * @throws IllegalArgumentException for a missing or unknown option
     */
    static long run(SparkSession spark, String[] args) {
        String model = null;
        String input = null;
        String output = null;
        String inputCol = "features";
        String outputCol = "scores";
        String argmaxCol = null;
        String topKCol = null;
        int k = 5;
        int batch = 64;
        int threads = 1;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i++]) {
                case "--model" -> model = value;
                case "--input" -> input = value;
                case "--output" -> output = value;
                case "--input-col" -> inputCol = value;
                case "--output-col" -> outputCol = value;
                case "--argmax-col" -> argmaxCol = value;
                case "--top-k-col" -> topKCol = value;
                case "--k" -> k = Integer.parseInt(value);
                case "--batch" -> batch = Integer.parseInt(value);
                case "--threads" -> threads = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i - 1] + "; usage: --model FILE"
                        + " --input PARQUET --output PARQUET [--input-col C] [--output-col C] [--argmax-col C]"
                        + " [--top-k-col C --k K] [--batch B] [--threads T]");
            }
        }
        if (model == null || input == null || output == null) {
            throw new IllegalArgumentException("--model, --input and --output are required");
        }
        SprigInference inference = SprigInference.of(Path.of(model)).inputCol(inputCol).outputCol(outputCol)
                .batchSize(batch).threadsPerTask(threads);
        if (argmaxCol != null) {
            inference.argmaxCol(argmaxCol);
        }
        if (topKCol != null) {
            inference.topKCol(topKCol, k);
        }
        Dataset<Row> scored = inference.transform(spark.read().parquet(input)).drop(inputCol);
        scored.write().mode(SaveMode.Overwrite).parquet(output);
        return spark.read().parquet(output).count();
    }
}
