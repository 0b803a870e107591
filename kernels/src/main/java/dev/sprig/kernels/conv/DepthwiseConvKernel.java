package dev.sprig.kernels.conv;

import dev.sprig.kernels.Ranges;
import dev.sprig.kernels.gemm.Epilogue;

/**
 * A direct depthwise convolution kernel (one filter per channel, no im2col): one implementation per
 * backend ({@code KernelBackend#depthwiseConv()}), reached through {@link Conv2d}, which splits
 * the work into planes (one image, one channel) and threads them. The direct kernels exist for the
 * shapes mobile networks use, {@link #supports}: 3x3 and 5x5 filters, stride 1 or 2, no dilation;
 * every other depthwise conv takes the general im2col path.
 *
 * <p>Each output element is computed by one chain of operations that does not depend on how the
 * planes are spread over threads, so results are bitwise identical for any thread count.
 */
public interface DepthwiseConvKernel {

    /** Name for logs and reports, e.g. {@code Conv2dDepthwiseVector(8 lanes)}. */
    String name();

    /**
     * Computes one plane: image n, channel c of a depthwise conv of shape {@code s}. The input
     * plane ({@code H x W}) starts at {@code x[xOff]}, the channel's {@code KH x KW} filter at
     * {@code w[wOff]}, the output plane ({@code OH x OW}) at {@code y[yOff]}; the epilogue is
     * applied as {@code epilogue.apply(v, channel, oh * OW + ow)}.
     *
     * @throws IllegalArgumentException when {@link #supports} is false for {@code s}
     * @throws IndexOutOfBoundsException when a plane does not fit its array
     */
    void plane(Conv2dShape s, float[] x, int xOff, float[] w, int wOff, float[] y, int yOff,
               Epilogue epilogue, int channel);

    /** True when a direct kernel handles {@code s}: depthwise, 3x3 or 5x5, stride 1 or 2 on both axes, dilation 1. */
    static boolean supports(Conv2dShape s) {
        return s.isDepthwise() && s.kernelH() == s.kernelW() && (s.kernelH() == 3 || s.kernelH() == 5)
                && s.strideH() == s.strideW() && (s.strideH() == 1 || s.strideH() == 2)
                && s.dilationH() == 1 && s.dilationW() == 1;
    }

    /** The checks every {@link #plane} makes before touching memory. */
    static void checkPlane(Conv2dShape s, float[] x, int xOff, float[] w, int wOff, float[] y, int yOff, int channel) {
        if (!supports(s)) {
            throw new IllegalArgumentException("depthwise kernel: expected a depthwise 3x3 or 5x5 conv with stride 1"
                    + " or 2 and dilation 1, got " + s);
        }
        if (channel < 0 || channel >= s.channels()) {
            throw new IndexOutOfBoundsException("depthwise kernel: channel must be in [0, " + s.channels()
                    + "), got " + channel);
        }
        Ranges.check("depthwise input plane", xOff, s.height() * s.width(), x.length);
        Ranges.check("depthwise filter", wOff, s.kernelH() * s.kernelW(), w.length);
        Ranges.check("depthwise output plane", yOff, s.outH() * s.outW(), y.length);
    }
}
