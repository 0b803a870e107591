/**
 * Batch inference on Apache Spark (4.2+). Start with {@link dev.sprig.spark.SprigInference}:
 * {@code SprigInference.of(modelPath).inputCol("features").outputCol("scores").transform(dataset)}
 * appends the model's output for every row, reading an {@code array<float>} or {@code binary}
 * column. The model is checked and loaded on the driver before the job, its bytes are broadcast,
 * and every executor JVM loads it once into {@link dev.sprig.spark.ModelCache}; partitions run in
 * batches on one Sprig thread per task by default.
 *
 * <p>{@link dev.sprig.spark.SprigScore} is a ready-made {@code spark-submit} application (Parquet
 * in, Parquet out), {@link dev.sprig.spark.SparkBench} the local-mode throughput benchmark. Submit
 * the shaded {@code sprig-spark-VERSION-all.jar}: its protobuf-java is relocated, since Spark's own,
 * older one comes first on the classpath.
 */
package dev.sprig.spark;
