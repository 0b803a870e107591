package dev.sprig.kernels.conv;

import dev.sprig.kernels.Ranges;
import dev.sprig.kernels.gemm.Epilogue;

/**
 * The geometry of one 2-D convolution, NCHW float32, with ONNX {@code Conv} semantics: input
 * {@code batch x channels x height x width}, weights {@code outChannels x (channels / groups) x
 * kernelH x kernelW}, output {@code batch x outChannels x outH() x outW()}, where
 * {@code outH = floor((height + padTop + padBottom - dilationH * (kernelH - 1) - 1) / strideH) + 1}
 * (likewise outW). Output channel m reads input channels of group {@code m / (outChannels / groups)}.
 *
 * <p>The constructor validates everything a kernel relies on and throws
 * {@link IllegalArgumentException} naming the field, what was expected and what it got: positive
 * sizes, strides and dilations, non-negative pads, channel counts divisible by the group count, a
 * non-empty output, and tensors small enough for one Java array.
 *
 * @param batch       N, images in the batch
 * @param channels    C, input channels
 * @param height      H, input rows
 * @param width       W, input columns
 * @param outChannels M, output channels (filters)
 * @param kernelH     KH, filter rows
 * @param kernelW     KW, filter columns
 * @param strideH     vertical stride
 * @param strideW     horizontal stride
 * @param dilationH   vertical dilation (1: dense filter)
 * @param dilationW   horizontal dilation
 * @param padTop      zero rows above the input
 * @param padLeft     zero columns left of the input
 * @param padBottom   zero rows below the input
 * @param padRight    zero columns right of the input
 * @param groups      channel groups: 1 is a dense conv, {@code channels == outChannels == groups} depthwise
 */
public record Conv2dShape(int batch, int channels, int height, int width, int outChannels, int kernelH, int kernelW,
                          int strideH, int strideW, int dilationH, int dilationW,
                          int padTop, int padLeft, int padBottom, int padRight, int groups) {

    /** Validates the geometry; see the class comment. */
    public Conv2dShape {
        positive("batch", batch);
        positive("channels", channels);
        positive("height", height);
        positive("width", width);
        positive("outChannels", outChannels);
        positive("kernelH", kernelH);
        positive("kernelW", kernelW);
        positive("strideH", strideH);
        positive("strideW", strideW);
        positive("dilationH", dilationH);
        positive("dilationW", dilationW);
        positive("groups", groups);
        nonNegative("padTop", padTop);
        nonNegative("padLeft", padLeft);
        nonNegative("padBottom", padBottom);
        nonNegative("padRight", padRight);
        if (channels % groups != 0) {
            throw new IllegalArgumentException("Conv2d: channels must be a multiple of groups = " + groups
                    + ", got channels = " + channels);
        }
        if (outChannels % groups != 0) {
            throw new IllegalArgumentException("Conv2d: outChannels must be a multiple of groups = " + groups
                    + ", got outChannels = " + outChannels);
        }
        // long arithmetic: a huge dilation or pad must fail here, not overflow into a wrong size
        long spanH = (long) dilationH * (kernelH - 1) + 1;
        long spanW = (long) dilationW * (kernelW - 1) + 1;
        long paddedH = (long) height + padTop + padBottom;
        long paddedW = (long) width + padLeft + padRight;
        if (paddedH < spanH) {
            throw new IllegalArgumentException("Conv2d: empty output: the padded height (height + padTop + padBottom = "
                    + paddedH + ") must be at least the dilated kernel height (dilationH * (kernelH - 1) + 1 = "
                    + spanH + ")");
        }
        if (paddedW < spanW) {
            throw new IllegalArgumentException("Conv2d: empty output: the padded width (width + padLeft + padRight = "
                    + paddedW + ") must be at least the dilated kernel width (dilationW * (kernelW - 1) + 1 = "
                    + spanW + ")");
        }
        fits("input", (long) batch * channels * height * width);
        fits("weights", (long) outChannels * (channels / groups) * kernelH * kernelW);
        fits("output", (long) batch * outChannels * ((paddedH - spanH) / strideH + 1) * ((paddedW - spanW) / strideW + 1));
    }

    /**
     * A square-kernel conv with the same stride and dilation on both axes and the same pad on all
     * four sides, as most model layers are.
     */
    public static Conv2dShape of(int batch, int channels, int height, int width, int outChannels,
                                 int kernel, int stride, int pad, int groups) {
        return new Conv2dShape(batch, channels, height, width, outChannels, kernel, kernel, stride, stride, 1, 1,
                pad, pad, pad, pad, groups);
    }

    /** The same convolution on {@code images} images (the one shape each image of a batch has). */
    public Conv2dShape withBatch(int images) {
        return new Conv2dShape(images, channels, height, width, outChannels, kernelH, kernelW, strideH, strideW,
                dilationH, dilationW, padTop, padLeft, padBottom, padRight, groups);
    }

    /** Output rows. */
    public int outH() {
        return (int) (((long) height + padTop + padBottom - (long) dilationH * (kernelH - 1) - 1) / strideH + 1);
    }

    /** Output columns. */
    public int outW() {
        return (int) (((long) width + padLeft + padRight - (long) dilationW * (kernelW - 1) - 1) / strideW + 1);
    }

    /** Input channels each output channel reads: {@code channels / groups}. */
    public int groupChannels() {
        return channels / groups;
    }

    /** Output channels of one group: {@code outChannels / groups}. */
    public int groupOutChannels() {
        return outChannels / groups;
    }

    /** Terms of each output's reduction (the GEMM k): {@code channels / groups * kernelH * kernelW}. */
    public int reduction() {
        return groupChannels() * kernelH * kernelW;
    }

    /** Floats of the input: N x C x H x W. */
    public int inputSize() {
        return batch * channels * height * width;
    }

    /** Floats of the weights: M x C/groups x KH x KW. */
    public int weightSize() {
        return outChannels * reduction();
    }

    /** Floats of the output: N x M x OH x OW. */
    public int outputSize() {
        return batch * outChannels * outH() * outW();
    }

    /** True for a depthwise conv: one input and one output channel per group. */
    public boolean isDepthwise() {
        return groups == channels && groups == outChannels;
    }

    /** True for a 1x1, stride-1, unpadded conv: a plain GEMM on the input, no im2col. */
    public boolean isPointwise() {
        return kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1
                && padTop == 0 && padLeft == 0 && padBottom == 0 && padRight == 0;
    }

    /** Multiply-adds of the direct convolution: {@code N * M * OH * OW * C/groups * KH * KW}. */
    public long macs() {
        return (long) batch * outChannels * outH() * outW() * reduction();
    }

    /**
     * Checks the operands of a conv of this shape before anything is written: input
     * {@code x[xOff ..]}, weights {@code w[wOff ..]} and output {@code y[yOff ..]} fit their arrays,
     * and the epilogue's bias, if any, is per row (one value per output channel) and covers all
     * {@code outChannels}.
     *
     * @throws IndexOutOfBoundsException when an operand does not fit its array
     * @throws IllegalArgumentException for a per-column bias
     */
    public void checkOperands(float[] x, int xOff, float[] w, int wOff, float[] y, int yOff, Epilogue epilogue) {
        Ranges.check("Conv2d input", xOff, inputSize(), x.length);
        Ranges.check("Conv2d weights", wOff, weightSize(), w.length);
        Ranges.check("Conv2d output", yOff, outputSize(), y.length);
        switch (epilogue.bias()) {
            case NONE -> { }
            case PER_ROW -> Ranges.check("Conv2d bias (per output channel)", epilogue.biasOffset(), outChannels,
                    epilogue.biasData().length);
            case PER_COLUMN -> throw new IllegalArgumentException("Conv2d: the bias must be per output channel"
                    + " (Epilogue.biasPerRow), got a per-column bias");
        }
    }

    @Override
    public String toString() {
        return "Conv2d[N=" + batch + " C=" + channels + " HxW=" + height + "x" + width + " -> M=" + outChannels
                + " OHxOW=" + outH() + "x" + outW() + ", kernel " + kernelH + "x" + kernelW
                + ", stride " + strideH + "x" + strideW + ", dilation " + dilationH + "x" + dilationW
                + ", pads (top, left, bottom, right) = (" + padTop + ", " + padLeft + ", " + padBottom + ", " + padRight
                + "), groups " + groups + "]";
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("Conv2d: " + field + " must be >= 1, got " + value);
        }
    }

    private static void nonNegative(String field, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("Conv2d: " + field + " must be >= 0, got " + value);
        }
    }

    private static void fits(String what, long size) {
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Conv2d: the " + what + " must fit one Java array (at most "
                    + (Integer.MAX_VALUE - 8) + " floats), got " + size);
        }
    }
}
