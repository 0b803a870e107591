package dev.sprig.kernels.conv;

import dev.sprig.kernels.KernelProvider;
import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.gemm.Epilogue;
import dev.sprig.kernels.gemm.Sgemm;
import java.util.Arrays;

/**
 * 2-D convolution, NCHW float32, ONNX {@code Conv} semantics ({@link Conv2dShape}), computed by
 * one of three paths:
 * <ul>
 *   <li><b>depthwise</b> ({@code groups == C == M}, 3x3 or 5x5, stride 1 or 2, no dilation): the
 *       backend's direct {@link DepthwiseConvKernel}, one task per (image, channel) plane;</li>
 *   <li><b>pointwise</b> (1x1, stride 1, no padding): per image and group, {@link Sgemm} straight
 *       on the input, {@code Y[Mg x HW] = W[Mg x Cg] * X[Cg x HW]};</li>
 *   <li><b>general</b>: im2col into a per-thread column buffer, {@code col[(c, kh, kw)][pixel]},
 *       then {@code Y[Mg x pixels] = W[Mg x Cg*KH*KW] * col}. The buffer covers a block of output
 *       pixels at a time (at most {@value #COLUMN_BLOCK_FLOATS} floats, 4 MiB, or 64 pixels) so a
 *       big layer does not hold hundreds of MiB of columns.</li>
 * </ul>
 * Bias and activation come in the epilogue and are fused into the GEMM's store (or the depthwise
 * kernel's row pass); the bias must be per row, one value per output channel
 * ({@link Epilogue#biasPerRow}).
 *
 * <p>Threads: the GEMMs thread inside {@link Sgemm}, the im2col splits its rows and the depthwise
 * kernel its planes. Every output is computed by the same chain of operations whatever the split,
 * so the result is bitwise identical for any thread count.
 */
public final class Conv2d {

    /** Floats of one im2col block: 4 MiB, beside the GEMM's own packed copy of it. */
    static final int COLUMN_BLOCK_FLOATS = 1 << 20;
    /** Output pixels of an im2col block are a multiple of this (whole GEMM column panels). */
    private static final int PIXEL_QUANTUM = 64;
    /** Work below which another thread is not worth waking (as in Sgemm: about 25 us). */
    private static final double MIN_FLOPS_PER_THREAD = 2e6;
    /** im2col floats below which the copy stays on one thread. */
    private static final int MIN_COLUMNS_PER_THREAD = 1 << 16;

    private static final ThreadLocal<float[]> COLUMNS = ThreadLocal.withInitial(() -> new float[0]);

    private Conv2d() {
    }

    /** Single-threaded convolution with no bias and no activation. */
    public static void conv2d(Conv2dShape s, float[] x, int xOff, float[] w, int wOff, float[] y, int yOff) {
        conv2d(s, x, xOff, w, wOff, y, yOff, Epilogue.NONE, ThreadPool.SERIAL);
    }

    /**
     * The convolution: input {@code x[xOff + ((n*C + c)*H + h)*W + w]}, weights
     * {@code w[wOff + ((m*Cg + c)*KH + kh)*KW + kw]} (Cg = C / groups), output
     * {@code y[yOff + ((n*M + m)*OH + oh)*OW + ow] = epilogue.apply(sum, m, oh * OW + ow)}, as
     * {@link dev.sprig.kernels.reference.Conv2d} defines it. The output must not overlap the input.
     *
     * @throws IndexOutOfBoundsException when an operand does not fit its array
     * @throws IllegalArgumentException for a per-column bias in the epilogue
     */
    public static void conv2d(Conv2dShape s, float[] x, int xOff, float[] w, int wOff, float[] y, int yOff,
                              Epilogue epilogue, ThreadPool pool) {
        s.checkOperands(x, xOff, w, wOff, y, yOff, epilogue);
        if (DepthwiseConvKernel.supports(s)) {
            depthwise(KernelProvider.backend().depthwiseConv(), s, x, xOff, w, wOff, y, yOff, epilogue, pool);
        } else if (s.isPointwise()) {
            pointwise(s, x, xOff, w, wOff, y, yOff, groupEpilogues(s, epilogue), pool);
        } else {
            im2colGemm(s, x, xOff, w, wOff, y, yOff, groupEpilogues(s, epilogue), pool);
        }
    }

    /** The depthwise path on a given kernel (the tests run every backend's). */
    static void depthwise(DepthwiseConvKernel kernel, Conv2dShape s, float[] x, int xOff, float[] w, int wOff,
                          float[] y, int yOff, Epilogue epilogue, ThreadPool pool) {
        int c = s.channels();
        int inPlane = s.height() * s.width();
        int outPlane = s.outH() * s.outW();
        int taps = s.kernelH() * s.kernelW();
        int threads = usefulThreads(pool, 2.0 * s.macs());
        pool.parallelFor(s.batch() * c, threads, p -> {
            int ch = p % c;
            kernel.plane(s, x, xOff + p * inPlane, w, wOff + ch * taps, y, yOff + p * outPlane, epilogue, ch);
        });
    }

    /** 1x1 stride 1 unpadded: the input planes of a group are already the GEMM's B, Cg x HW. */
    private static void pointwise(Conv2dShape s, float[] x, int xOff, float[] w, int wOff, float[] y, int yOff,
                                  Epilogue[] epilogues, ThreadPool pool) {
        int hw = s.height() * s.width();
        int cg = s.groupChannels();
        int mg = s.groupOutChannels();
        for (int n = 0; n < s.batch(); n++) {
            for (int g = 0; g < s.groups(); g++) {
                Sgemm.sgemm(false, false, mg, hw, cg, 1f, w, wOff + g * mg * cg, cg,
                        x, xOff + (n * s.channels() + g * cg) * hw, hw,
                        0f, y, yOff + (n * s.outChannels() + g * mg) * hw, hw, epilogues[g], pool);
            }
        }
    }

    /** The general path: im2col blocks of output pixels, one GEMM each. */
    private static void im2colGemm(Conv2dShape s, float[] x, int xOff, float[] w, int wOff, float[] y, int yOff,
                                   Epilogue[] epilogues, ThreadPool pool) {
        int k = s.reduction();
        int pixels = s.outH() * s.outW();
        int mg = s.groupOutChannels();
        int block = pixelBlock(k, pixels);
        float[] columns = columnBuffer(k * block);
        for (int n = 0; n < s.batch(); n++) {
            for (int g = 0; g < s.groups(); g++) {
                for (int j0 = 0; j0 < pixels; j0 += block) {
                    int jn = Math.min(block, pixels - j0);
                    im2col(s, x, xOff, n, g, j0, jn, columns, pool);
                    Sgemm.sgemm(false, false, mg, jn, k, 1f, w, wOff + g * mg * k, k, columns, 0, jn,
                            0f, y, yOff + (n * s.outChannels() + g * mg) * pixels + j0, pixels, epilogues[g], pool);
                }
            }
        }
    }

    /** Output pixels per im2col block: all of them when they fit {@link #COLUMN_BLOCK_FLOATS}. */
    static int pixelBlock(int k, int pixels) {
        if ((long) k * pixels <= COLUMN_BLOCK_FLOATS) {
            return pixels;
        }
        return Math.max(PIXEL_QUANTUM, COLUMN_BLOCK_FLOATS / k / PIXEL_QUANTUM * PIXEL_QUANTUM);
    }

    /**
     * Fills {@code col[r * jn + j]} for the reduction rows r = (c, kh, kw) of group g and the output
     * pixels [j0, j0 + jn) of image n: the input value under that tap, 0 in the padding.
     */
    static void im2col(Conv2dShape s, float[] x, int xOff, int n, int g, int j0, int jn, float[] col,
                       ThreadPool pool) {
        int k = s.reduction();
        int threads = k * jn < MIN_COLUMNS_PER_THREAD ? 1 : Math.min(pool.threads(), k * jn / MIN_COLUMNS_PER_THREAD);
        int tasks = threads == 1 ? 1 : Math.min(k, threads * 4);
        int perTask = Math.ceilDiv(k, tasks);
        pool.parallelFor(Math.ceilDiv(k, perTask), threads, t -> {
            int r1 = Math.min(k, (t + 1) * perTask);
            for (int r = t * perTask; r < r1; r++) {
                im2colRow(s, x, xOff, n, g, r, j0, jn, col, r * jn);
            }
        });
    }

    private static void im2colRow(Conv2dShape s, float[] x, int xOff, int n, int g, int r, int j0, int jn,
                                  float[] col, int dst) {
        int taps = s.kernelH() * s.kernelW();
        int c = r / taps;
        int kh = r % taps / s.kernelW();
        int kw = r % s.kernelW();
        int h = s.height();
        int wd = s.width();
        int ow1 = s.outW();
        int sw = s.strideW();
        int plane = xOff + (n * s.channels() + g * s.groupChannels() + c) * h * wd;
        // iw = ow * sw + shift
        int shift = kw * s.dilationW() - s.padLeft();
        int oh = j0 / ow1;
        int ow = j0 % ow1;
        int j = 0;
        // one output row (or the part of it inside the block) at a time
        while (j < jn) {
            int seg = Math.min(ow1 - ow, jn - j);
            int ih = oh * s.strideH() - s.padTop() + kh * s.dilationH();
            int d = dst + j;
            if (ih < 0 || ih >= h) {
                Arrays.fill(col, d, d + seg, 0f); // padding row
            } else if (sw == 1) {
                // the columns inside the image are one contiguous run: copy it, zero both sides
                int src = plane + ih * wd;
                int lo = Math.min(Math.max(ow, -shift), ow + seg);
                int hi = Math.max(lo, Math.min(ow + seg, wd - shift));
                Arrays.fill(col, d, d + lo - ow, 0f);
                if (hi > lo) {
                    // (a run wholly in the right padding starts past the array: arraycopy rejects it)
                    System.arraycopy(x, src + lo + shift, col, d + lo - ow, hi - lo);
                }
                Arrays.fill(col, d + hi - ow, d + seg, 0f);
            } else {
                int src = plane + ih * wd;
                for (int t = 0; t < seg; t++) {
                    int iw = (ow + t) * sw + shift;
                    col[d + t] = iw >= 0 && iw < wd ? x[src + iw] : 0f;
                }
            }
            j += seg;
            ow = 0;
            oh++;
        }
    }

    /** The epilogue of group g's GEMM: rows are its output channels, so the bias shifts by g * Mg. */
    private static Epilogue[] groupEpilogues(Conv2dShape s, Epilogue e) {
        Epilogue[] out = new Epilogue[s.groups()];
        for (int g = 0; g < out.length; g++) {
            if (e.bias() == Epilogue.Bias.NONE || g == 0) {
                out[g] = e;
                continue;
            }
            Epilogue shifted = Epilogue.biasPerRow(e.biasData(), e.biasOffset() + g * s.groupOutChannels());
            out[g] = switch (e.activation()) {
                case NONE -> shifted;
                case RELU -> shifted.relu();
                case CLIP -> shifted.clip(e.min(), e.max());
            };
        }
        return out;
    }

    private static int usefulThreads(ThreadPool pool, double flops) {
        return (int) Math.max(1, Math.min(pool.threads(), flops / MIN_FLOPS_PER_THREAD));
    }

    private static float[] columnBuffer(int size) {
        float[] buf = COLUMNS.get();
        if (buf.length < size) {
            buf = new float[size];
            COLUMNS.set(buf);
        }
        return buf;
    }
}
