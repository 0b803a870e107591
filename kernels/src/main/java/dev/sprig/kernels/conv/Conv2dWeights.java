package dev.sprig.kernels.conv;

import dev.sprig.kernels.gemm.PackedA;

/**
 * A convolution's filters prepared once for {@link Conv2d}: per group, the {@code Mg x Cg*KH*KW}
 * filter matrix packed as the GEMM's A operand ({@link PackedA}), so that no call packs them
 * again — on the narrow late layers of a CNN that copy cost more than the products. The
 * original array is kept for the paths that read filters directly (depthwise kernels, 1x1 with
 * at most 4 filters).
 */
public final class Conv2dWeights {

    private final int outChannels;
    private final int groupChannels;
    private final int kernelH;
    private final int kernelW;
    private final int groups;
    private final float[] w;
    private final int wOff;
    private final PackedA[] packed;

    private Conv2dWeights(int outChannels, int groupChannels, int kernelH, int kernelW, int groups, float[] w,
                          int wOff, PackedA[] packed) {
        this.outChannels = outChannels;
        this.groupChannels = groupChannels;
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.groups = groups;
        this.w = w;
        this.wOff = wOff;
        this.packed = packed;
    }

    /**
     * Prepares filters {@code w[wOff + ((m*Cg + c)*KH + kh)*KW + kw]} of {@code outChannels}
     * filters of {@code groupChannels} channels each, in {@code groups} groups. The array is kept,
     * not copied: it must not change afterwards.
     */
    public static Conv2dWeights pack(int outChannels, int groupChannels, int kernelH, int kernelW, int groups,
                                     float[] w, int wOff) {
        if (outChannels < 1 || groupChannels < 1 || kernelH < 1 || kernelW < 1 || groups < 1
                || outChannels % groups != 0) {
            throw new IllegalArgumentException("filters " + outChannels + "x" + groupChannels + "x" + kernelH + "x"
                    + kernelW + " in " + groups + " groups: sizes must be positive, filters a multiple of groups");
        }
        int mg = outChannels / groups;
        int k = groupChannels * kernelH * kernelW;
        PackedA[] packed = new PackedA[groups];
        // depthwise filters never reach a GEMM
        if (!(groupChannels == 1 && mg == 1 && groups > 1)) {
            for (int g = 0; g < groups; g++) {
                packed[g] = PackedA.pack(false, mg, k, w, wOff + g * mg * k, k);
            }
        }
        return new Conv2dWeights(outChannels, groupChannels, kernelH, kernelW, groups, w, wOff, packed);
    }

    /** True when these filters fit the shape's filter geometry. */
    boolean fits(Conv2dShape s) {
        return s.outChannels() == outChannels && s.groupChannels() == groupChannels && s.kernelH() == kernelH
                && s.kernelW() == kernelW && s.groups() == groups;
    }

    float[] array() {
        return w;
    }

    int offset() {
        return wOff;
    }

    /** Group g's packed filter matrix, or null for depthwise filters. */
    PackedA group(int g) {
        return packed[g];
    }

    /** Bytes of the packed copies. */
    public long packedBytes() {
        long b = 0;
        for (PackedA p : packed) {
            b += p == null ? 0 : p.bytes();
        }
        return b;
    }
}
