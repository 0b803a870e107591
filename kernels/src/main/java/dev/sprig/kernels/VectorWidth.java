package dev.sprig.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float species every vector kernel uses, fixed once per process. Loaded only through the
 * provider, after it has checked that {@code jdk.incubator.vector} is present.
 *
 * <p>Species are {@code static final} so C2 folds lane counts and loop bounds into constants; a
 * species held in an instance field is not a constant and the kernels fall off the intrinsics.
 */
public final class VectorWidth {

    /**
     * The widest width the provider picks by itself. The target machines expose AVX2 (256-bit
     * ymm); a species wider than the hardware's is not intrinsified and runs about 60x slower. On
     * AVX-512 hosts (Zen 4 executes 512-bit FMAs as two 256-bit halves) force 512 with
     * {@code -Dsprig.vector.bits=512} and measure.
     */
    public static final int DEFAULT_CAP_BITS = 256;

    /** Width the hardware prefers for floats, in bits. */
    public static final int PREFERRED_BITS = FloatVector.SPECIES_PREFERRED.vectorBitSize();

    /** Width in use: {@code -Dsprig.vector.bits} when set, else the preferred width capped at 256. */
    public static final int BITS = KernelProvider.requestedVectorBits() != 0
            ? KernelProvider.requestedVectorBits()
            : Math.min(PREFERRED_BITS, DEFAULT_CAP_BITS);

    /** The float species of {@link #BITS}. */
    public static final VectorSpecies<Float> FLOAT = VectorSpecies.of(float.class, VectorShape.forBitSize(BITS));

    private VectorWidth() {
    }
}
