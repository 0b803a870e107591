package dev.sprig.kernels.int8;

import dev.sprig.kernels.Ranges;
import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.conv.Conv2dShape;
import java.util.Arrays;

/**
 * Integer 2-D convolution with ONNX {@code ConvInteger} semantics, NCHW, int32 accumulators out
 * ({@link dev.sprig.kernels.reference.QConv2d} is the definition; results equal it exactly):
 * {@code acc[n][m][oh][ow] = sum (x - xZero) * (w - wZero[m])}, padding taking the input's zero
 * point (so it adds nothing, as ONNX specifies). Requantize the result with {@link Requantize}
 * (per output channel: scale and bias arrays indexed by m, on the transposed view).
 *
 * <p>How: per image, group and block of output pixels, the patches are laid out as rows
 * (im2col transposed: pixel-major, the Cg*KH*KW taps of a pixel contiguous, padding filled with
 * the zero-point byte) and multiplied by the packed transposed filters with {@link Qgemm}, pixels
 * as rows and output channels as columns, so the per-channel weight zero points are per-column B
 * zero points and the activation's is A's; the pixel x channel block is then transposed into the
 * NCHW output. Threads run inside {@link Qgemm}; sums are exact, so any thread count gives the
 * same result.
 */
public final class QConv2d {

    /** Bytes of one block of patch rows. */
    private static final int PATCH_BLOCK_BYTES = 1 << 20;

    private static final ThreadLocal<byte[]> PATCHES = ThreadLocal.withInitial(() -> new byte[0]);
    private static final ThreadLocal<int[]> PRODUCT = ThreadLocal.withInitial(() -> new int[0]);

    private QConv2d() {
    }

    /**
     * The convolution: input {@code x[xOff + ((n*C + c)*H + h)*W + w]} (int8 when {@code xSigned},
     * else uint8) with zero point {@code xZero}, filters packed by {@link PackedQConvWeights#pack}
     * for a conv of the same filter geometry and groups, output
     * {@code acc[accOff + ((n*M + m)*OH + oh)*OW + ow]}.
     *
     * @throws IllegalArgumentException when the filters were packed for another geometry
     * @throws IndexOutOfBoundsException when an operand does not fit its array
     */
    public static void conv2d(Conv2dShape s, byte[] x, int xOff, boolean xSigned, int xZero,
                              PackedQConvWeights w, int[] acc, int accOff, ThreadPool pool) {
        Conv2dShape ws = w.shape();
        if (ws.outChannels() != s.outChannels() || ws.groupChannels() != s.groupChannels()
                || ws.kernelH() != s.kernelH() || ws.kernelW() != s.kernelW() || ws.groups() != s.groups()) {
            throw new IllegalArgumentException("QConv2d: filters packed for " + ws + " do not fit " + s);
        }
        Ranges.check("QConv2d input", xOff, s.inputSize(), x.length);
        Ranges.check("QConv2d output", accOff, s.outputSize(), acc.length);
        int k = s.reduction();
        int mg = s.groupOutChannels();
        int pixels = s.outH() * s.outW();
        int block = Math.max(1, Math.min(pixels, PATCH_BLOCK_BYTES / k));
        byte[] patches = buffer(PATCHES, block * k);
        int[] product = intBuffer(block * mg);
        byte pad = (byte) xZero;
        for (int n = 0; n < s.batch(); n++) {
            for (int g = 0; g < s.groups(); g++) {
                for (int p0 = 0; p0 < pixels; p0 += block) {
                    int pn = Math.min(block, pixels - p0);
                    patchRows(s, x, xOff, n, g, p0, pn, pad, patches);
                    Qgemm.qgemm(pn, patches, 0, k, xSigned, xZero, w.group(g), product, 0, mg, pool);
                    int out = accOff + (n * s.outChannels() + g * mg) * pixels + p0;
                    for (int m = 0; m < mg; m++) {
                        int dst = out + m * pixels;
                        for (int p = 0; p < pn; p++) {
                            acc[dst + p] = product[p * mg + m];
                        }
                    }
                }
            }
        }
    }

    /** Rows of patches for output pixels [p0, p0 + pn) of image n, group g: row p, tap (c, kh, kw). */
    private static void patchRows(Conv2dShape s, byte[] x, int xOff, int n, int g, int p0, int pn, byte pad,
                                  byte[] dst) {
        int h = s.height();
        int wd = s.width();
        int ow1 = s.outW();
        int k = s.reduction();
        int taps = s.kernelH() * s.kernelW();
        for (int p = 0; p < pn; p++) {
            int oh = (p0 + p) / ow1;
            int ow = (p0 + p) % ow1;
            int row = p * k;
            for (int c = 0; c < s.groupChannels(); c++) {
                int plane = xOff + (n * s.channels() + g * s.groupChannels() + c) * h * wd;
                int r = row + c * taps;
                for (int kh = 0; kh < s.kernelH(); kh++) {
                    int ih = oh * s.strideH() - s.padTop() + kh * s.dilationH();
                    if (ih < 0 || ih >= h) {
                        Arrays.fill(dst, r, r + s.kernelW(), pad);
                        r += s.kernelW();
                        continue;
                    }
                    int src = plane + ih * wd;
                    for (int kw = 0; kw < s.kernelW(); kw++, r++) {
                        int iw = ow * s.strideW() - s.padLeft() + kw * s.dilationW();
                        dst[r] = iw >= 0 && iw < wd ? x[src + iw] : pad;
                    }
                }
            }
        }
    }

    private static byte[] buffer(ThreadLocal<byte[]> local, int size) {
        byte[] buf = local.get();
        if (buf.length < size) {
            buf = new byte[size];
            local.set(buf);
        }
        return buf;
    }

    private static int[] intBuffer(int size) {
        int[] buf = PRODUCT.get();
        if (buf.length < size) {
            buf = new int[size];
            PRODUCT.set(buf);
        }
        return buf;
    }
}
