package dev.sprig.bench;

/**
 * What one invocation of a kernel benchmark does: floating-point operations and bytes of memory
 * traffic (either may be 0). Every benchmark class in {@code dev.sprig.bench.kernels} declares
 * {@code public static Work work(String method, java.util.Map<String, String> params)}, from which
 * {@link KernelBenchRunner} turns JMH's ops/s into GFLOP/s and GB/s.
 */
public record Work(double flops, double bytes) {

    /** Compute-bound work: flops only. */
    public static Work flops(double flops) {
        return new Work(flops, 0);
    }

    /** Memory-bound work: bytes only. */
    public static Work bytes(double bytes) {
        return new Work(0, bytes);
    }
}
