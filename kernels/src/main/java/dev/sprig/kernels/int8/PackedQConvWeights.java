package dev.sprig.kernels.int8;

import dev.sprig.kernels.conv.Conv2dShape;
import dev.sprig.kernels.Ranges;
import java.util.Objects;

/**
 * Integer conv filters packed once for {@link QConv2d}: per group, the transposed filter matrix
 * {@code W_g^T} (k = Cg*KH*KW rows, Mg columns) as a {@link PackedQMatrix}, so that output pixels
 * are the GEMM's rows and each output channel's zero point is a per-column B zero point.
 */
public final class PackedQConvWeights {

    private final Conv2dShape shape;
    private final PackedQMatrix[] groups;

    private PackedQConvWeights(Conv2dShape shape, PackedQMatrix[] groups) {
        this.shape = shape;
        this.groups = groups;
    }

    /**
     * Packs filters {@code w[wOff + ((m*Cg + c)*KH + kh)*KW + kw]} (int8 when {@code wSigned}, else
     * uint8) with zero points {@code wZero}, length 1 (per tensor) or M (per output channel).
     *
     * @throws IllegalArgumentException for a zero-point array of another length
     * @throws IndexOutOfBoundsException when the filters do not fit their array
     */
    public static PackedQConvWeights pack(Conv2dShape s, byte[] w, int wOff, boolean wSigned, int[] wZero) {
        Objects.requireNonNull(wZero, "wZero");
        Ranges.check("QConv2d weights", wOff, s.weightSize(), w.length);
        if (wZero.length != 1 && wZero.length != s.outChannels()) {
            throw new IllegalArgumentException("QConv2d weight zero points: expected length 1 (per tensor) or M = "
                    + s.outChannels() + " (per output channel), got " + wZero.length);
        }
        int k = s.reduction();
        int mg = s.groupOutChannels();
        PackedQMatrix[] groups = new PackedQMatrix[s.groups()];
        for (int g = 0; g < groups.length; g++) {
            int[] zero = wZero.length == 1 ? wZero : java.util.Arrays.copyOfRange(wZero, g * mg, (g + 1) * mg);
            groups[g] = PackedQMatrix.packTransposed(k, mg, w, wOff + g * mg * k, k, wSigned, zero);
        }
        return new PackedQConvWeights(s, groups);
    }

    /** The shape the filters were packed for (its weight geometry and groups must match a conv's). */
    public Conv2dShape shape() {
        return shape;
    }

    /** Group g's transposed filters, Cg*KH*KW x Mg. */
    PackedQMatrix group(int g) {
        return groups[g];
    }

    /** Bytes of packed filters. */
    public long bytes() {
        long sum = 0;
        for (PackedQMatrix p : groups) {
            sum += p.bytes();
        }
        return sum;
    }
}
