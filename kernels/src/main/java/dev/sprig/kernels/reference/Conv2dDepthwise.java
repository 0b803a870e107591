package dev.sprig.kernels.reference;

import dev.sprig.kernels.conv.Conv2dShape;
import dev.sprig.kernels.gemm.Epilogue;

/**
 * Reference depthwise convolution of one plane, the scalar twin of
 * {@code dev.sprig.kernels.conv.Conv2dDepthwiseVector}: direct loops over the output, each output a
 * fused multiply-add chain over the filter taps inside the image (kh outer, kw inner), then the
 * epilogue. Any filter size, stride and dilation; the scalar backend runs it for the shapes
 * {@code DepthwiseConvKernel#supports} accepts.
 */
public final class Conv2dDepthwise {

    private Conv2dDepthwise() {
    }

    /**
     * One plane of a depthwise conv of shape {@code s}: input plane at {@code x[xOff]}
     * ({@code H x W}), the channel's filter at {@code w[wOff]} ({@code KH x KW}), output plane at
     * {@code y[yOff]} ({@code OH x OW}); {@code epilogue.apply(v, channel, oh * OW + ow)}. The caller
     * checks the ranges.
     */
    public static void plane(Conv2dShape s, float[] x, int xOff, float[] w, int wOff, float[] y, int yOff,
                             Epilogue epilogue, int channel) {
        int h = s.height();
        int wd = s.width();
        int oh1 = s.outH();
        int ow1 = s.outW();
        for (int oh = 0; oh < oh1; oh++) {
            for (int ow = 0; ow < ow1; ow++) {
                float acc = 0f;
                for (int kh = 0; kh < s.kernelH(); kh++) {
                    int ih = oh * s.strideH() - s.padTop() + kh * s.dilationH();
                    if (ih < 0 || ih >= h) {
                        continue; // padding row
                    }
                    for (int kw = 0; kw < s.kernelW(); kw++) {
                        int iw = ow * s.strideW() - s.padLeft() + kw * s.dilationW();
                        if (iw < 0 || iw >= wd) {
                            continue; // padding column
                        }
                        acc = Math.fma(x[xOff + ih * wd + iw], w[wOff + kh * s.kernelW() + kw], acc);
                    }
                }
                y[yOff + oh * ow1 + ow] = epilogue.apply(acc, channel, oh * ow1 + ow);
            }
        }
    }
}
