package dev.sprig.kernels.int8;

import dev.sprig.kernels.Ranges;
import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.conv.Conv2dShape;
import java.util.Arrays;

/**
 * Integer 2-D convolution with ONNX {@code ConvInteger} semantics, NCHW, int32 accumulators out
 * ({@link dev.sprig.kernels.reference.QConv2d} is the definition; results equal it exactly):
 * {@code acc[n][m][oh][ow] = sum (x - xZero) * (w - wZero[m])}, padding taking the input's zero
 * point (so it adds nothing, as ONNX specifies). {@link #conv2dToBytes} also requantizes, as
 * {@code QLinearConv} does, per output channel.
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
    /** Pixels per tile of the 1x1 transpose. */
    private static final int TILE = 64;

    private static final ThreadLocal<byte[]> PATCHES = ThreadLocal.withInitial(() -> new byte[0]);
    private static final ThreadLocal<int[]> PRODUCT = ThreadLocal.withInitial(() -> new int[0]);
    private static final ThreadLocal<byte[]> REQUANTIZED = ThreadLocal.withInitial(() -> new byte[0]);

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
        Ranges.check("QConv2d output", accOff, s.outputSize(), acc.length);
        int mg = s.groupOutChannels();
        int pixels = s.outH() * s.outW();
        blocks(s, x, xOff, xSigned, xZero, w, pool, (n, g, p0, pn, product) -> {
            int out = accOff + (n * s.outChannels() + g * mg) * pixels + p0;
            for (int m = 0; m < mg; m++) {
                int dst = out + m * pixels;
                for (int p = 0; p < pn; p++) {
                    acc[dst + p] = product[p * mg + m];
                }
            }
        });
    }

    /**
     * The convolution requantized to bytes as {@code QLinearConv} does:
     * {@code y[yOff + ((n*M + m)*OH + oh)*OW + ow]} is the accumulator of {@link #conv2d} plus
     * {@code bias[m]}, times {@code scale[m]} (or {@code scale[0]}), rounded half to even, plus
     * {@code yZero}, clamped to [qMin, qMax] and to the int8 or uint8 range
     * ({@link Requantize#toBytes(int[], int, int, int, int, int[], float[], int, boolean, int, int, byte[], int, int)}
     * with a channel's values as a column).
     *
     * @param bias per-output-channel int32 bias (length M), or null
     * @param scale per-output-channel scale (length M) or one for all
     * @throws IllegalArgumentException when the filters were packed for another geometry, or for a
     *                                  bias or scale of the wrong length
     * @throws IndexOutOfBoundsException when an operand does not fit its array
     */
    public static void conv2dToBytes(Conv2dShape s, byte[] x, int xOff, boolean xSigned, int xZero,
                                     PackedQConvWeights w, int[] bias, float[] scale, int yZero, boolean ySigned,
                                     int qMin, int qMax, byte[] y, int yOff, ThreadPool pool) {
        int channels = s.outChannels();
        if (bias != null && bias.length != channels) {
            throw new IllegalArgumentException("QConv2d bias: expected " + channels + " values (one per output channel), got "
                    + bias.length);
        }
        if (scale.length != 1 && scale.length != channels) {
            throw new IllegalArgumentException("QConv2d scale: expected 1 or " + channels
                    + " values (one per output channel), got " + scale.length);
        }
        Ranges.check("QConv2d output", yOff, s.outputSize(), y.length);
        int mg = s.groupOutChannels();
        int pixels = s.outH() * s.outW();
        int[][] groupBias = new int[s.groups()][];
        float[][] groupScale = new float[s.groups()][];
        for (int g = 0; g < s.groups(); g++) {
            groupBias[g] = bias == null ? null : Arrays.copyOfRange(bias, g * mg, (g + 1) * mg);
            groupScale[g] = scale.length == 1 ? scale : Arrays.copyOfRange(scale, g * mg, (g + 1) * mg);
        }
        blocks(s, x, xOff, xSigned, xZero, w, pool, (n, g, p0, pn, product) -> {
            byte[] block = buffer(REQUANTIZED, pn * mg);
            Requantize.toBytes(product, 0, pn, mg, mg, groupBias[g], groupScale[g], yZero, ySigned, qMin, qMax,
                    block, 0, mg);
            int out = yOff + (n * channels + g * mg) * pixels + p0;
            for (int m = 0; m < mg; m++) {
                int dst = out + m * pixels;
                for (int p = 0; p < pn; p++) {
                    y[dst + p] = block[p * mg + m];
                }
            }
        });
    }

    /** Where a block of products goes: {@code product[p * Mg + m]} for pixels [p0, p0 + pn) of image n, group g. */
    private interface BlockSink {
        void accept(int n, int g, int p0, int pn, int[] product);
    }

    private static void blocks(Conv2dShape s, byte[] x, int xOff, boolean xSigned, int xZero, PackedQConvWeights w,
                               ThreadPool pool, BlockSink sink) {
        Conv2dShape ws = w.shape();
        if (ws.outChannels() != s.outChannels() || ws.groupChannels() != s.groupChannels()
                || ws.kernelH() != s.kernelH() || ws.kernelW() != s.kernelW() || ws.groups() != s.groups()) {
            throw new IllegalArgumentException("QConv2d: filters packed for " + ws + " do not fit " + s);
        }
        Ranges.check("QConv2d input", xOff, s.inputSize(), x.length);
        int k = s.reduction();
        int mg = s.groupOutChannels();
        int pixels = s.outH() * s.outW();
        int block = Math.max(1, Math.min(pixels, PATCH_BLOCK_BYTES / k));
        byte[] patches = buffer(PATCHES, block * k);
        int[] product = intBuffer(block * mg);
        byte pad = (byte) xZero;
        boolean pointwise = s.kernelH() == 1 && s.kernelW() == 1 && s.strideH() == 1 && s.strideW() == 1
                && s.padTop() == 0 && s.padLeft() == 0 && s.padBottom() == 0 && s.padRight() == 0;
        for (int n = 0; n < s.batch(); n++) {
            for (int g = 0; g < s.groups(); g++) {
                for (int p0 = 0; p0 < pixels; p0 += block) {
                    int pn = Math.min(block, pixels - p0);
                    if (pointwise) {
                        pixelRows(s, x, xOff, n, g, p0, pn, patches);
                    } else {
                        patchRows(s, x, xOff, n, g, p0, pn, pad, patches);
                    }
                    Qgemm.qgemm(pn, patches, 0, k, xSigned, xZero, w.group(g), product, 0, mg, pool);
                    sink.accept(n, g, p0, pn, product);
                }
            }
        }
    }

    /**
     * Patch rows of a 1x1, stride-1, unpadded conv: row p is pixel p0 + p's channel vector, so
     * the block is the group's channel-major input transposed. Done in tiles of {@link #TILE}
     * pixels, so the tile's rows (TILE * Cg bytes) stay in L1 while each channel's run of pixels
     * is read once and in order.
     */
    private static void pixelRows(Conv2dShape s, byte[] x, int xOff, int n, int g, int p0, int pn, byte[] dst) {
        int cg = s.groupChannels();
        int plane = s.height() * s.width();
        int first = xOff + (n * s.channels() + g * cg) * plane + p0;
        for (int t0 = 0; t0 < pn; t0 += TILE) {
            int tn = Math.min(TILE, pn - t0);
            for (int c = 0; c < cg; c++) {
                int src = first + c * plane + t0;
                int d = t0 * cg + c;
                for (int p = 0; p < tn; p++, d += cg) {
                    dst[d] = x[src + p];
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
