package dev.sprig.core.ops.quant;

import dev.sprig.core.ModelException;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.nn.SpatialPads;
import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.conv.Conv2dShape;
import dev.sprig.kernels.int8.PackedQMatrix;
import dev.sprig.kernels.int8.Qgemm;
import java.util.Arrays;

/**
 * The exact INT32 convolution of 8-bit NCHW tensors shared by {@code ConvInteger} and
 * {@code QLinearConv}: {@code acc[n][m][o] = sum (x - x_zero_point) * (w[m] - w_zero_point[m])}
 * over the taps of output {@code o}, for 1-D and 2-D convolutions with Conv's attributes
 * (auto_pad, pads, strides, dilations, group).
 *
 * <p>Each image and group is one integer GEMM ({@link Qgemm}): the input patches as rows
 * ({@code OH*OW x K}, {@code K = C/group * KH * KW}) times the group's weights transposed
 * ({@code K x M/group}, packed once per weight), so a per-output-channel weight zero point is a
 * per-column zero point of the GEMM. Taps in the
 * padding read the input zero point, so they contribute exactly 0, as padding with zeros does
 * in the real-valued convolution.
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
     * The weights packed for the GEMM, one {@code K x M/group} matrix per group (the group's filters
     * are the rows of w, i.e. the matrix transposed), with their zero points: one, or one per output
     * channel.
     */
    static PackedQMatrix[] pack(Conv2dShape s, Tensor w, int[] wZero) {
        Tensor wc = w.contiguous();
        int k = s.reduction();
        int mg = s.groupOutChannels();
        PackedQMatrix[] packed = new PackedQMatrix[s.groups()];
        for (int g = 0; g < packed.length; g++) {
            packed[g] = PackedQMatrix.packTransposed(k, mg, wc.byteData(), wc.offset() + g * mg * k, k,
                    QuantType.signed(w.dtype()), groupZeroPoints(s, wZero, g));
        }
        return packed;
    }

    /**
     * The accumulators of image {@code image}, group {@code g}: {@code acc[o * M/group + j]} for
     * output position o and the group's output channel j.
     *
     * @param patches scratch of at least {@code OH*OW * K} bytes
     * @param weights the group's packed weights ({@link #pack})
     */
    static void accumulate(Conv2dShape s, int image, int g, byte[] x, int xOff, boolean xSigned, int xZero,
                           PackedQMatrix weights, byte[] patches, int[] acc, ThreadPool pool) {
        int k = s.reduction();
        int positions = s.outH() * s.outW();
        patches(s, image, g, x, xOff, (byte) xZero, patches);
        Qgemm.qgemm(positions, patches, 0, k, xSigned, xZero, weights, acc, 0, s.groupOutChannels(), pool);
    }

    /** {@code wZero} for the output channels of group g: the single value, or the group's slice. */
    static int[] groupZeroPoints(Conv2dShape s, int[] wZero, int g) {
        if (wZero.length == 1) {
            return wZero;
        }
        int mg = s.groupOutChannels();
        return Arrays.copyOfRange(wZero, g * mg, (g + 1) * mg);
    }

    /**
     * The patch matrix of image {@code image}, group {@code g}: row o holds the taps of output
     * position o in (channel, kernel row, kernel column) order; taps in the padding hold
     * {@code pad}, the input zero point's byte.
     */
    private static void patches(Conv2dShape s, int image, int g, byte[] x, int xOff, byte pad, byte[] out) {
        int cg = s.groupChannels();
        int kh = s.kernelH();
        int kw = s.kernelW();
        int h = s.height();
        int w = s.width();
        int k = s.reduction();
        int ow = s.outW();
        int plane = h * w;
        int base = xOff + (image * s.channels() + g * cg) * plane;
        for (int oy = 0; oy < s.outH(); oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int row = (oy * ow + ox) * k;
                int t = 0;
                for (int c = 0; c < cg; c++) {
                    int channel = base + c * plane;
                    for (int ky = 0; ky < kh; ky++) {
                        int iy = oy * s.strideH() - s.padTop() + ky * s.dilationH();
                        boolean rowInside = iy >= 0 && iy < h;
                        for (int kx = 0; kx < kw; kx++, t++) {
                            int ix = ox * s.strideW() - s.padLeft() + kx * s.dilationW();
                            out[row + t] = rowInside && ix >= 0 && ix < w ? x[channel + iy * w + ix] : pad;
                        }
                    }
                }
            }
        }
    }
}
