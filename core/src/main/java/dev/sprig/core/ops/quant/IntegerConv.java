package dev.sprig.core.ops.quant;

import dev.sprig.core.ModelException;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.nn.SpatialPads;
import dev.sprig.kernels.conv.Conv2dShape;
import dev.sprig.kernels.int8.PackedQConvWeights;
import dev.sprig.kernels.int8.QConv2d;
import java.util.Arrays;

/**
 * The Conv attributes and geometry shared by {@code ConvInteger} and {@code QLinearConv}: 1-D and
 * 2-D convolutions with auto_pad, pads, strides, dilations and group, read and checked at load,
 * turned into the {@link Conv2dShape} of a run's x and w (a 1-D conv is a 2-D one of height 1).
 * The arithmetic, {@code acc[n][m][o] = sum (x - x_zero_point) * (w[m] - w_zero_point[m])} with
 * padding reading the input zero point, is the kernels' {@link QConv2d}.
 */
final class IntegerConv {

    private final String name;
    private final String autoPad;
    private final int[] kernelShape;
    private final int[] pads;
    private final int[] strides;
    private final int[] dilations;
    private final int group;

    /** Reads and checks Conv's attributes at load. */
    IntegerConv(Node node) {
        this.name = node.describe();
        this.autoPad = QuantAttributes.autoPad(node);
        this.kernelShape = QuantAttributes.intsAtLeast(node, "kernel_shape", 1);
        this.pads = QuantAttributes.intsAtLeast(node, "pads", 0);
        this.strides = QuantAttributes.intsAtLeast(node, "strides", 1);
        this.dilations = QuantAttributes.intsAtLeast(node, "dilations", 1);
        this.group = QuantAttributes.integer(node, "group", 1);
        if (group < 1) {
            throw new ModelException(name + ": attribute 'group' must be >= 1, got " + group);
        }
    }

    /** The geometry of convolving x by w (a 1-D conv is a 2-D one of height 1). */
    Conv2dShape shape(Shape x, Shape w) {
        int rank = x.rank();
        if (rank != 3 && rank != 4) {
            throw new IllegalArgumentException(name + ": x must be N x C x L or N x C x H x W (1-D or 2-D conv), got "
                    + x);
        }
        if (w.rank() != rank) {
            throw new IllegalArgumentException(name + ": w must have the rank of x (" + rank + "), got " + w);
        }
        int n = rank - 2;
        int[] in = Arrays.copyOfRange(x.dims(), 2, rank);
        int[] k = Arrays.copyOfRange(w.dims(), 2, rank);
        if (kernelShape != null && !Arrays.equals(kernelShape, k)) {
            throw new IllegalArgumentException(name + ": kernel_shape " + Arrays.toString(kernelShape)
                    + " does not match the spatial shape of w " + w);
        }
        int channels = x.dim(1);
        if ((long) w.dim(1) * group != channels) {
            throw new IllegalArgumentException(name + ": w " + w + " must have C / group = " + channels + " / " + group
                    + " input channels on axis 1, got " + w.dim(1));
        }
        int[] st = SpatialPads.perAxis(name, "strides", strides, n);
        int[] dl = SpatialPads.perAxis(name, "dilations", dilations, n);
        int[] p = SpatialPads.resolve(name, autoPad, pads, in, k, st, dl);
        try {
            return n == 2
                    ? new Conv2dShape(x.dim(0), channels, in[0], in[1], w.dim(0), k[0], k[1], st[0], st[1], dl[0], dl[1],
                            p[0], p[1], p[2], p[3], group)
                    : new Conv2dShape(x.dim(0), channels, 1, in[0], w.dim(0), 1, k[0], 1, st[0], 1, dl[0], 0, p[0], 0,
                            p[1], group);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    /** The output shape for geometry {@code s}: N x M x OH x OW, or N x M x OW for a 1-D conv of rank-3 x. */
    static Shape outputShape(Conv2dShape s, int rank) {
        return rank == 4 ? Shape.of(s.batch(), s.outChannels(), s.outH(), s.outW())
                : Shape.of(s.batch(), s.outChannels(), s.outW());
    }

    /**
     * The weights packed once for {@link QConv2d}, with their zero points: one, or one per output
     * channel.
     */
    static PackedQConvWeights pack(Conv2dShape s, Tensor w, int[] wZero) {
        Tensor wc = w.contiguous();
        return PackedQConvWeights.pack(s, wc.byteData(), wc.offset(), QuantType.signed(w.dtype()), wZero);
    }
}
