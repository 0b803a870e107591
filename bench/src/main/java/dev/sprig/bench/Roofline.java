package dev.sprig.bench;

/**
 * The roofline model: a kernel that performs F floating-point operations while moving at least B
 * bytes between memory and the core has arithmetic intensity {@code I = F / B} FLOP/byte, and can
 * run no faster than {@code min(peak, bandwidth * I)}: below the ridge point {@code I = peak /
 * bandwidth} memory limits it, above it the FMA units do. A GEMM of n x n x n has F = 2 n^3 and
 * B = 4 * 3 n^2 (A and B read once, C written once), so I = n / 6.
 */
public final class Roofline {

    private Roofline() {
    }

    /**
     * FLOP per byte, {@code flops / bytes}.
     *
     * @throws IllegalArgumentException when either is not positive and finite
     */
    public static double intensity(double flops, double bytes) {
        if (!(flops > 0) || !(bytes > 0) || Double.isInfinite(flops) || Double.isInfinite(bytes)) {
            throw new IllegalArgumentException("intensity needs positive flops and bytes, got flops=" + flops
                    + " bytes=" + bytes);
        }
        return flops / bytes;
    }

    /** The roof at {@code intensity}: {@code min(peakGflops, bandwidthGbps * intensity)} GFLOP/s. */
    public static double attainable(double intensity, double peakGflops, double bandwidthGbps) {
        return Math.min(peakGflops, bandwidthGbps * intensity);
    }

    /** The intensity where the roof turns flat: {@code peakGflops / bandwidthGbps} FLOP/byte. */
    public static double ridge(double peakGflops, double bandwidthGbps) {
        return peakGflops / bandwidthGbps;
    }
}
