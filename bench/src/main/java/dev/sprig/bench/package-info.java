/**
 * Sprig bench: measurement, not tests. {@link dev.sprig.bench.KernelBenchRunner} runs the JMH kernel
 * benchmarks of {@code dev.sprig.bench.kernels} and reports every figure against a denominator
 * measured in the same run: GFLOP/s as a share of this JVM's FMA peak, GB/s as a share of the read
 * bandwidth, from the {@link dev.sprig.bench.Work} each benchmark declares.
 * {@link dev.sprig.bench.Roofline} places the results on the roofline model and
 * {@link dev.sprig.bench.KernelCharts} draws them as PNG charts. The end-to-end model benchmark is
 * in {@code dev.sprig.bench.model}, the GEMM teaching steps in {@code dev.sprig.bench.steps}. Run
 * them with {@code ./sprig bench kernels} and {@code ./sprig bench model}.
 */
package dev.sprig.bench;
