package dev.sprig.kernels.reference;

import dev.sprig.kernels.conv.Conv2dShape;
import dev.sprig.kernels.gemm.Epilogue;

/**
 * Reference 2-D convolution, NCHW float32, the direct seven-deep loop with ONNX {@code Conv}
 * semantics: every stride, dilation, group count and asymmetric pad of {@link Conv2dShape}. It is
 * the oracle of the conv tests, written to be read, not to be fast.
 *
 * <p>{@code y[n][m][oh][ow] = epilogue(sum over c, kh, kw of x[n][g*Cg + c][ih][iw] * w[m][c][kh][kw])}
 * with {@code g = m / (M / groups)}, {@code ih = oh * strideH - padTop + kh * dilationH},
 * {@code iw = ow * strideW - padLeft + kw * dilationW}; taps that fall in the padding read zero.
 * The epilogue is applied as {@code epilogue.apply(sum, m, oh * OW + ow)}: row is the output
 * channel (its bias), column the pixel.
 */
public final class Conv2d {

    private Conv2d() {
    }

    /**
     * The reference convolution. Input {@code x[xOff + ((n*C + c)*H + h)*W + w]}, weights
     * {@code w[wOff + ((m*Cg + c)*KH + kh)*KW + kw]} (Cg = C / groups), output
     * {@code y[yOff + ((n*M + m)*OH + oh)*OW + ow]}.
     *
     * @throws IndexOutOfBoundsException when an operand does not fit its array
     * @throws IllegalArgumentException for a per-column bias in the epilogue
     */
    public static void conv2d(Conv2dShape s, float[] x, int xOff, float[] w, int wOff, float[] y, int yOff,
                              Epilogue epilogue) {
        s.checkOperands(x, xOff, w, wOff, y, yOff, epilogue);
        int oh1 = s.outH();
        int ow1 = s.outW();
        int cg = s.groupChannels();
        int mg = s.groupOutChannels();
        for (int n = 0; n < s.batch(); n++) {
            for (int m = 0; m < s.outChannels(); m++) {
                int c0 = (m / mg) * cg;
                for (int oh = 0; oh < oh1; oh++) {
                    for (int ow = 0; ow < ow1; ow++) {
                        float sum = 0f;
                        for (int c = 0; c < cg; c++) {
                            for (int kh = 0; kh < s.kernelH(); kh++) {
                                int ih = oh * s.strideH() - s.padTop() + kh * s.dilationH();
                                if (ih < 0 || ih >= s.height()) {
                                    continue; // padding row
                                }
                                for (int kw = 0; kw < s.kernelW(); kw++) {
                                    int iw = ow * s.strideW() - s.padLeft() + kw * s.dilationW();
                                    if (iw < 0 || iw >= s.width()) {
                                        continue; // padding column
                                    }
                                    float xv = x[xOff + ((n * s.channels() + c0 + c) * s.height() + ih) * s.width() + iw];
                                    float wv = w[wOff + ((m * cg + c) * s.kernelH() + kh) * s.kernelW() + kw];
                                    sum += xv * wv;
                                }
                            }
                        }
                        y[yOff + ((n * s.outChannels() + m) * oh1 + oh) * ow1 + ow] = epilogue.apply(sum, m, oh * ow1 + ow);
                    }
                }
            }
        }
    }
}
