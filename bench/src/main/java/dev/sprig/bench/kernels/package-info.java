/**
 * JMH benchmarks of every kernel family on the shapes real models run: GEMM and GEMV
 * ({@link dev.sprig.bench.kernels.SgemmBenchmark}, {@link dev.sprig.bench.kernels.GemvBenchmark}),
 * convolution and Winograd, INT8 next to FP32 on the same shapes, the sparse formats against the
 * dense kernel, pools, activations, softmax and layer norm, and the GEMM teaching steps. Two of them
 * are the denominators of every figure: {@link dev.sprig.bench.kernels.PeakBenchmark} (FMA
 * throughput in registers) and {@link dev.sprig.bench.kernels.StreamReadBenchmark} (memory read
 * bandwidth). Each class's Javadoc states what it measures and on which shapes; run them through
 * {@code ./sprig bench kernels} ({@link dev.sprig.bench.KernelBenchRunner}), not as tests.
 */
package dev.sprig.bench.kernels;
