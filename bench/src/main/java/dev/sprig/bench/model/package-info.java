/**
 * The end-to-end model benchmark behind {@code ./sprig bench model} and {@code ./sprig demo}. Start
 * with {@link dev.sprig.bench.model.ModelBenchmark}: for a {@link dev.sprig.bench.model.BenchModel}
 * (a file, or one of the {@link dev.sprig.bench.model.SyntheticModels}) it measures each
 * {@link dev.sprig.bench.model.Variant} (FP32, INT8, pruned, pruned+INT8, and ONNX Runtime Java as
 * the peer, all in the same process) for latency percentiles, throughput, concurrent clients with
 * and without dynamic batching, weight and arena memory, and accuracy on MNIST or agreement with
 * FP32. Each result is a {@link dev.sprig.bench.model.BenchRow}; {@link dev.sprig.bench.model.MarkdownReport},
 * {@link dev.sprig.bench.model.JsonReport} and {@link dev.sprig.bench.model.ChartReport} write them
 * out.
 */
package dev.sprig.bench.model;
