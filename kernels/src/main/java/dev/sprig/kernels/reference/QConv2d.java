package dev.sprig.kernels.reference;

import dev.sprig.kernels.conv.Conv2dShape;

/**
 * Reference integer convolution with ONNX {@code ConvInteger} semantics, the direct 7-deep loop:
 * {@code acc[n][m][oh][ow] = sum_{c,kh,kw} (x[n][g*Cg+c][ih][iw] - xZero) * (w[m][c][kh][kw] - wZero[m])}
 * with {@code ih = oh*strideH - padTop + kh*dilationH} (likewise iw); positions in the padding hold
 * the input's zero point, so they add nothing. Bytes are int8 or uint8 as their flags say;
 * {@code wZero} has length 1 (per tensor) or M (per output channel). Layouts as
 * {@link dev.sprig.kernels.conv.Conv2d}.
 */
public final class QConv2d {

    private QConv2d() {
    }

    /** The reference convolution; see the class comment. */
    public static void conv2d(Conv2dShape s, byte[] x, int xOff, boolean xSigned, int xZero,
                              byte[] w, int wOff, boolean wSigned, int[] wZero, int[] acc, int accOff) {
        int cg = s.groupChannels();
        int mg = s.groupOutChannels();
        for (int n = 0; n < s.batch(); n++) {
            for (int m = 0; m < s.outChannels(); m++) {
                int g = m / mg;
                int zw = wZero.length == 1 ? wZero[0] : wZero[m];
                for (int oh = 0; oh < s.outH(); oh++) {
                    for (int ow = 0; ow < s.outW(); ow++) {
                        int sum = 0;
                        for (int c = 0; c < cg; c++) {
                            for (int kh = 0; kh < s.kernelH(); kh++) {
                                for (int kw = 0; kw < s.kernelW(); kw++) {
                                    int ih = oh * s.strideH() - s.padTop() + kh * s.dilationH();
                                    int iw = ow * s.strideW() - s.padLeft() + kw * s.dilationW();
                                    int xv = xZero;
                                    if (ih >= 0 && ih < s.height() && iw >= 0 && iw < s.width()) {
                                        xv = Qgemm.value(x[xOff + ((n * s.channels() + g * cg + c) * s.height() + ih)
                                                * s.width() + iw], xSigned);
                                    }
                                    int wv = Qgemm.value(w[wOff + ((m * cg + c) * s.kernelH() + kh) * s.kernelW() + kw],
                                            wSigned);
                                    sum += (xv - xZero) * (wv - zw);
                                }
                            }
                        }
                        acc[accOff + ((n * s.outChannels() + m) * s.outH() + oh) * s.outW() + ow] = sum;
                    }
                }
            }
        }
    }
}
