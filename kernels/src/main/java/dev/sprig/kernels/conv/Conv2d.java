package dev.sprig.kernels.conv;

import dev.sprig.kernels.KernelProvider;
import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.gemm.Epilogue;
import dev.sprig.kernels.gemm.PackedMatrix;
import dev.sprig.kernels.gemm.Sgemm;
import java.util.Arrays;

/**
 * 2-D convolution, NCHW float32, ONNX {@code Conv} semantics ({@link Conv2dShape}), computed by
 * one of three paths:
 * <ul>
 *   <li><b>depthwise</b> ({@code groups == C == M}, 3x3 or 5x5, stride 1 or 2, no dilation): the
 *       backend's direct {@link DepthwiseConvKernel}, one task per (image, channel) plane;</li>
 *   <li><b>pointwise</b> (1x1, stride 1, no padding): per image and group,
 *       {@code Y[Mg x HW] = W[Mg x Cg] * X[Cg x HW]}: the input planes are packed as the GEMM's B
 *       ({@link PackedMatrix#packInto}) into a per-thread buffer reused across calls (with
 *       {@code Mg <= 4}, {@link Sgemm} streams the planes where they lie instead);</li>
 *   <li><b>general</b>: im2col straight into the GEMM's packed B layout ({@link PackedMatrix}: panels
 *       of nr output pixels, each holding all {@code Cg*KH*KW} taps) in the same per-thread buffer,
 *       then {@code Y[Mg x pixels] = W[Mg x Cg*KH*KW] * col} on it with no further copy.</li>
 * </ul>
 * The buffer covers a block of output pixels at a time (at most {@value #COLUMN_BLOCK_FLOATS}
 * floats, 4 MiB, or 64 pixels) so a big layer does not hold hundreds of MiB of columns.
 *
 * <p>Bias and activation come in the epilogue and are fused into the GEMM's store (or the depthwise
 * kernel's row pass); the bias must be per row, one value per output channel
 * ({@link Epilogue#biasPerRow}).
 *
 * <p>Threads: a batch that divides among the threads (or has at least four images per thread) is
 * split by whole images, each computed on one thread; otherwise the GEMMs thread inside
 * {@link Sgemm}, the im2col splits its panels and the depthwise kernel its planes. Every output is
 * computed by the same chain of operations whatever the split, so the result is bitwise identical
 * for any thread count.
 */
public final class Conv2d {

    /** Floats of one im2col block (its only copy: it is written in the GEMM's packed layout): 4 MiB. */
    static final int COLUMN_BLOCK_FLOATS = 1 << 20;
    /** Output pixels of an im2col block are a multiple of this (whole GEMM column panels). */
    private static final int PIXEL_QUANTUM = 64;
    /** Work below which another thread is not worth waking (as in Sgemm: about 25 us). */
    private static final double MIN_FLOPS_PER_THREAD = 2e6;
    /** im2col floats below which the copy stays on one thread. */
    private static final int MIN_COLUMNS_PER_THREAD = 1 << 16;
    /** Rows of W up to which Sgemm streams an unpacked B where it lies (its small-M path). */
    private static final int STREAMED_ROWS = 4;

    /** The packed columns of the calling thread: the general and the pointwise path both fill it. */
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
        run(s, x, xOff, w, wOff, null, y, yOff, epilogue, pool);
    }

    /**
     * The convolution with filters prepared once ({@link Conv2dWeights#pack}): the same result,
     * bitwise, without packing the filters on every call.
     *
     * @throws IllegalArgumentException when the filters do not fit the shape
     */
    public static void conv2d(Conv2dShape s, float[] x, int xOff, Conv2dWeights w, float[] y, int yOff,
                              Epilogue epilogue, ThreadPool pool) {
        if (!w.fits(s)) {
            throw new IllegalArgumentException("prepared filters do not fit " + s);
        }
        s.checkOperands(x, xOff, w.array(), w.offset(), y, yOff, epilogue);
        run(s, x, xOff, w.array(), w.offset(), w, y, yOff, epilogue, pool);
    }

    private static void run(Conv2dShape s, float[] x, int xOff, float[] w, int wOff, Conv2dWeights prepared,
                            float[] y, int yOff, Epilogue epilogue, ThreadPool pool) {
        if (DepthwiseConvKernel.supports(s)) {
            depthwise(KernelProvider.backend().depthwiseConv(), s, x, xOff, w, wOff, y, yOff, epilogue, pool);
            return;
        }
        int threads = pool.threads();
        if (threads > 1 && s.batch() > 1 && (s.batch() % threads == 0 || s.batch() >= 4 * threads)) {
            // whole images per thread: no split of small GEMMs, no im2col panels shared out, each
            // image on one thread with its own column buffer. Measured on mnist-8 (bench model --free-batch,
            // 2 threads, AVX2): batch 32 went from 6,583 images/s (images one after another, each split
            // over both threads) to 9,802/s; the batch-1 loop runs 5,600-6,100/s
            Conv2dShape image = s.withBatch(1);
            int inImage = s.channels() * s.height() * s.width();
            int outImage = s.outChannels() * s.outH() * s.outW();
            pool.parallelFor(s.batch(), n -> run(image, x, xOff + n * inImage, w, wOff, prepared, y,
                    yOff + n * outImage, epilogue, ThreadPool.SERIAL));
            return;
        }
        // depthwise filters are kept unpacked (the depthwise kernel reads them as they are): a
        // depthwise shape that kernel does not take (a dilation, stride 3) multiplies the raw filters
        Conv2dWeights packed = prepared != null && prepared.group(0) != null ? prepared : null;
        if (s.isPointwise()) {
            pointwise(s, x, xOff, w, wOff, packed, y, yOff, groupEpilogues(s, epilogue), pool);
        } else {
            im2colGemm(s, x, xOff, w, wOff, packed, y, yOff, groupEpilogues(s, epilogue), pool);
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

    /**
     * 1x1 stride 1 unpadded: the input planes of a group are already the GEMM's B, Cg x HW. They are
     * packed into the reused per-thread buffer rather than by {@code Sgemm.sgemm} into a fresh array
     * on every call. Measured (GFLOP/s, 1 thread, AVX2 2x32 tile, quick runs of {@code Conv2dBenchmark},
     * one before, two after): 64x56x56 -> 256 went from 23 to 60-69, 256x56x56 -> 64 from 41 to 46-51;
     * 32x112x112 -> 16 stayed at 32-37 (M = 16: the copy itself, not its allocation, dominates).
     */
    private static void pointwise(Conv2dShape s, float[] x, int xOff, float[] w, int wOff, Conv2dWeights prepared,
                                  float[] y, int yOff,
                                  Epilogue[] epilogues, ThreadPool pool) {
        int hw = s.height() * s.width();
        int cg = s.groupChannels();
        int mg = s.groupOutChannels();
        if (mg <= STREAMED_ROWS) {
            // a GEMV-like product: Sgemm streams the planes where they lie, packing would only copy
            for (int n = 0; n < s.batch(); n++) {
                for (int g = 0; g < s.groups(); g++) {
                    Sgemm.sgemm(false, false, mg, hw, cg, 1f, w, wOff + g * mg * cg, cg,
                            x, xOff + (n * s.channels() + g * cg) * hw, hw,
                            0f, y, yOff + (n * s.outChannels() + g * mg) * hw, hw, epilogues[g], pool);
                }
            }
            return;
        }
        int block = pixelBlock(cg, hw);
        float[] columns = columnBuffer(PackedMatrix.packedSize(cg, block));
        for (int n = 0; n < s.batch(); n++) {
            for (int g = 0; g < s.groups(); g++) {
                for (int j0 = 0; j0 < hw; j0 += block) {
                    int jn = Math.min(block, hw - j0);
                    int planes = xOff + (n * s.channels() + g * cg) * hw;
                    PackedMatrix b = PackedMatrix.packInto(false, cg, jn, x, planes + j0, hw, columns, pool);
                    int yAt = yOff + (n * s.outChannels() + g * mg) * hw + j0;
                    if (prepared != null) {
                        Sgemm.sgemm(prepared.group(g), 1f, b, 0f, y, yAt, hw, epilogues[g], pool);
                    } else {
                        Sgemm.sgemm(false, mg, 1f, w, wOff + g * mg * cg, cg, b, 0f, y, yAt, hw, epilogues[g], pool);
                    }
                }
            }
        }
    }

    /**
     * The general path: im2col blocks of output pixels written as packed B panels, one GEMM each.
     *
     * <p>Writing the panels directly saves a whole pass over the columns and a fresh array of them per
     * call. Measured (GFLOP/s, 1 thread, AVX2 2x32 tile, bias + relu, quick run of
     * {@code Conv2dBenchmark}, one before, two after; im2col rows packed again by {@code Sgemm.sgemm}
     * -> im2col into panels): 64x56x56 3x3 45 -> 57-58, 128x28x28 3x3 47 -> 66-67, 256x14x14 3x3
     * 37 -> 57-60, 3x224x224 7x7 stride 2 25 -> 41-43.
     */
    private static void im2colGemm(Conv2dShape s, float[] x, int xOff, float[] w, int wOff, Conv2dWeights prepared,
                                   float[] y, int yOff,
                                   Epilogue[] epilogues, ThreadPool pool) {
        int k = s.reduction();
        int pixels = s.outH() * s.outW();
        int mg = s.groupOutChannels();
        int nr = KernelProvider.backend().sgemm().nr();
        int block = pixelBlock(k, pixels);
        float[] columns = columnBuffer(PackedMatrix.packedSize(k, block));
        for (int n = 0; n < s.batch(); n++) {
            for (int g = 0; g < s.groups(); g++) {
                for (int j0 = 0; j0 < pixels; j0 += block) {
                    int jn = Math.min(block, pixels - j0);
                    im2colPacked(s, x, xOff, n, g, j0, jn, nr, columns, pool);
                    PackedMatrix b = PackedMatrix.wrap(k, jn, columns);
                    int yAt = yOff + (n * s.outChannels() + g * mg) * pixels + j0;
                    if (prepared != null) {
                        Sgemm.sgemm(prepared.group(g), 1f, b, 0f, y, yAt, pixels, epilogues[g], pool);
                    } else {
                        Sgemm.sgemm(false, mg, 1f, w, wOff + g * mg * k, k, b, 0f, y, yAt, pixels, epilogues[g], pool);
                    }
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
     * Writes the k x jn column matrix of image n, group g, output pixels [j0, j0 + jn) in the packed
     * B layout of {@link PackedMatrix} with panels of {@code nr}: element (r, j), the input value
     * under tap r = (c, kh, kw) at pixel j0 + j (0 in the padding), at
     * {@code (j / nr) * k * nr + r * nr + j % nr}; the missing columns of the last panel are zeroed.
     * Panels are split over the threads (each is written whole by one task: a plain copy, so the
     * split changes nothing).
     */
    static void im2colPacked(Conv2dShape s, float[] x, int xOff, int n, int g, int j0, int jn, int nr,
                             float[] dst, ThreadPool pool) {
        int k = s.reduction();
        int panels = Math.ceilDiv(jn, nr);
        int threads = k * jn < MIN_COLUMNS_PER_THREAD ? 1 : Math.min(pool.threads(), k * jn / MIN_COLUMNS_PER_THREAD);
        int tasks = threads == 1 ? 1 : Math.min(panels, threads * 4);
        int perTask = Math.ceilDiv(panels, tasks);
        pool.parallelFor(Math.ceilDiv(panels, perTask), threads, t -> {
            int[] runs = new int[3 * nr];
            int q1 = Math.min(panels, (t + 1) * perTask);
            for (int q = t * perTask; q < q1; q++) {
                int cols = Math.min(nr, jn - q * nr);
                im2colPanel(s, x, xOff, n, g, j0 + q * nr, cols, nr, dst, q * k * nr, runs);
            }
        });
    }

    /**
     * One packed panel: the {@code cols} output pixels from {@code p0}, all k taps, row r at
     * {@code dst[base + r * nr ..]}. The pixels are first cut into runs along output rows (a run
     * shares oh, so each tap reads it from one input row); then, tap by tap, each run is one short
     * copy (stride 1) or gather (stride > 1), zeros where it falls in the padding.
     */
    private static void im2colPanel(Conv2dShape s, float[] x, int xOff, int n, int g, int p0, int cols, int nr,
                                    float[] dst, int base, int[] runs) {
        int h = s.height();
        int wd = s.width();
        int ow1 = s.outW();
        int sw = s.strideW();
        // runs: (oh, first ow, length), consecutive in the panel
        int count = 0;
        for (int j = 0; j < cols; count++) {
            int oh = (p0 + j) / ow1;
            int ow = (p0 + j) % ow1;
            int len = Math.min(ow1 - ow, cols - j);
            runs[3 * count] = oh;
            runs[3 * count + 1] = ow;
            runs[3 * count + 2] = len;
            j += len;
        }
        int r = 0;
        for (int c = 0; c < s.groupChannels(); c++) {
            int plane = xOff + (n * s.channels() + g * s.groupChannels() + c) * h * wd;
            for (int kh = 0; kh < s.kernelH(); kh++) {
                int ihShift = kh * s.dilationH() - s.padTop();
                for (int kw = 0; kw < s.kernelW(); kw++, r++) {
                    // iw = ow * sw + shift
                    int shift = kw * s.dilationW() - s.padLeft();
                    int d = base + r * nr;
                    for (int i = 0; i < count; i++) {
                        int ih = runs[3 * i] * s.strideH() + ihShift;
                        int ow = runs[3 * i + 1];
                        int len = runs[3 * i + 2];
                        if (ih < 0 || ih >= h) {
                            Arrays.fill(dst, d, d + len, 0f); // padding row
                        } else if (sw == 1) {
                            // the columns inside the image are one contiguous run: copy it, zero both sides
                            int src = plane + ih * wd;
                            int lo = Math.min(Math.max(ow, -shift), ow + len);
                            int hi = Math.max(lo, Math.min(ow + len, wd - shift));
                            Arrays.fill(dst, d, d + lo - ow, 0f);
                            if (hi > lo) {
                                // (a run wholly in the right padding starts past the array: arraycopy rejects it)
                                System.arraycopy(x, src + lo + shift, dst, d + lo - ow, hi - lo);
                            }
                            Arrays.fill(dst, d + hi - ow, d + len, 0f);
                        } else {
                            int src = plane + ih * wd;
                            for (int t = 0; t < len; t++) {
                                int iw = (ow + t) * sw + shift;
                                dst[d + t] = iw >= 0 && iw < wd ? x[src + iw] : 0f;
                            }
                        }
                        d += len;
                    }
                    if (cols < nr) {
                        Arrays.fill(dst, d, base + (r + 1) * nr, 0f); // the last panel's missing columns
                    }
                }
            }
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
