package dev.sprig.kernels.conv;

import dev.sprig.kernels.KernelProvider;
import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.gemm.Epilogue;
import dev.sprig.kernels.gemm.PackedA;
import dev.sprig.kernels.gemm.PackedMatrix;
import dev.sprig.kernels.gemm.Sgemm;

/**
 * 3x3 stride-1 convolution by Winograd's F(2x2, 3x3) (Lavin and Gray, "Fast Algorithms for
 * Convolutional Neural Networks", 2016): each 2x2 block of outputs comes from a 4x4 input tile
 * with 16 multiplications per (input, output) channel pair instead of 36, so the 16 products are
 * 16 GEMMs of {@code M x C} filters by {@code C x tiles} inputs, 2.25x fewer flops than the direct
 * convolution's GEMM.
 *
 * <p>Transforms, with {@code d} a 4x4 input tile, {@code g} a 3x3 filter:
 * {@code V = Bt d B}, {@code U = G g Gt}, output {@code Y = At (U . V) A} where
 * <pre>
 *   Bt = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]
 *   G  = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1]
 *   At = [1 1 1 0; 0 1 -1 -1]
 * </pre>
 * The transformed inputs are written straight into the GEMM's packed B layout
 * ({@link PackedMatrix}), a block of tiles at a time so that they stay a few MiB.
 *
 * <p>Accuracy: the transforms only add, subtract and halve, so the error stays within a small
 * multiple of the direct convolution's (property-tested against {@link
 * dev.sprig.kernels.reference.Conv2d} with a bound scaled by the reduction length and the
 * magnitude of the terms). Results are bitwise the same for any thread count.
 */
public final class Conv2dWinograd {

    /** Floats of transformed inputs per block of tiles: 4 MiB, as the im2col block. */
    private static final int V_BLOCK_FLOATS = 1 << 20;
    /** The 16 packed matrices of transformed inputs of the calling thread (PackedMatrix.wrap needs each at 0). */
    private static final ThreadLocal<float[][]> V = ThreadLocal.withInitial(() -> new float[16][0]);
    private static final ThreadLocal<float[]> PRODUCTS = ThreadLocal.withInitial(() -> new float[0]);

    private Conv2dWinograd() {
    }

    /**
     * Channels (in and out) from which Winograd is chosen over im2col: below, the scalar transforms
     * outweigh the saved multiplications. Measured with Conv2dWinogradBenchmark against
     * Conv2dBenchmark (1 thread, AVX2, both in one run, machine shared): 128 and 256 channels ran
     * 1.4x and 1.26x faster than im2col (63.4 vs 44.8, 53.1 vs 42.2 GFLOP/s); 64 channels ran
     * slower (33.6 vs 51.1), though a quick run had it 1.2x faster — not chosen until the transforms
     * are vectorised.
     */
    public static final int MIN_CHANNELS = 128;

    /**
     * Output tiles (2x2 blocks) from which Winograd is chosen: the 16 GEMMs are tiles wide, and
     * narrower than one column panel of the tile they leave its lanes idle. Measured on the
     * ResNet-18 512x7x7 layer (16 tiles, 2x32 AVX2 tile, in a session, machine under load): 8.3 ms
     * with Winograd against 7.7 ms with im2col (49 columns).
     */
    public static final int MIN_TILES = 32;

    /** True when the shape is computed this way in a session: {@link #supports}, enough channels and tiles. */
    public static boolean preferred(Conv2dShape s) {
        return supports(s) && s.channels() >= MIN_CHANNELS && s.outChannels() >= MIN_CHANNELS
                && s.batch() * Math.ceilDiv(s.outH(), 2) * Math.ceilDiv(s.outW(), 2) >= MIN_TILES;
    }

    /** True for the shapes this algorithm computes: 3x3, stride 1, dilation 1, one group. */
    public static boolean supports(Conv2dShape s) {
        return s.kernelH() == 3 && s.kernelW() == 3 && s.strideH() == 1 && s.strideW() == 1 && s.dilationH() == 1
                && s.dilationW() == 1 && s.groups() == 1;
    }

    /**
     * Filters transformed for {@link #conv2d}: the 16 {@code M x C} matrices, one per position of the
     * 4x4 transform, each packed as the GEMM's A operand (packing them on every call cost more than
     * the products on the 7x7 layers).
     */
    public static final class Filters {
        private final int outChannels;
        private final int channels;
        private final PackedA[] matrices;

        private Filters(int outChannels, int channels, PackedA[] matrices) {
            this.outChannels = outChannels;
            this.channels = channels;
            this.matrices = matrices;
        }

        /** Bytes held. */
        public long bytes() {
            long b = 0;
            for (PackedA a : matrices) {
                b += a.bytes();
            }
            return b;
        }
    }

    /**
     * The transformed filters: {@code G g Gt} of every filter (m, c), as 16 packed matrices.
     * Computed once per weight tensor.
     */
    public static Filters transformWeights(Conv2dShape s, float[] w, int wOff) {
        float[] u = transformedMatrices(s, w, wOff);
        int m1 = s.outChannels();
        int c1 = s.channels();
        PackedA[] matrices = new PackedA[16];
        for (int xi = 0; xi < 16; xi++) {
            matrices[xi] = PackedA.pack(false, m1, c1, u, xi * m1 * c1, c1);
        }
        return new Filters(m1, c1, matrices);
    }

    /** {@code u[(xi * M + m) * C + c]} for the 16 positions xi of the 4x4 transform. */
    static float[] transformedMatrices(Conv2dShape s, float[] w, int wOff) {
        requireSupported(s);
        int m1 = s.outChannels();
        int c1 = s.channels();
        float[] u = new float[16 * m1 * c1];
        float[] t = new float[12];
        for (int m = 0; m < m1; m++) {
            for (int c = 0; c < c1; c++) {
                int g = wOff + (m * c1 + c) * 9;
                // t = G g (4x3)
                for (int j = 0; j < 3; j++) {
                    float g0 = w[g + j];
                    float g1 = w[g + 3 + j];
                    float g2 = w[g + 6 + j];
                    t[j] = g0;
                    t[3 + j] = 0.5f * (g0 + g1 + g2);
                    t[6 + j] = 0.5f * (g0 - g1 + g2);
                    t[9 + j] = g2;
                }
                // U = t Gt (4x4)
                for (int i = 0; i < 4; i++) {
                    float t0 = t[3 * i];
                    float t1 = t[3 * i + 1];
                    float t2 = t[3 * i + 2];
                    u[((4 * i) * m1 + m) * c1 + c] = t0;
                    u[((4 * i + 1) * m1 + m) * c1 + c] = 0.5f * (t0 + t1 + t2);
                    u[((4 * i + 2) * m1 + m) * c1 + c] = 0.5f * (t0 - t1 + t2);
                    u[((4 * i + 3) * m1 + m) * c1 + c] = t2;
                }
            }
        }
        return u;
    }

    /**
     * The convolution with filters already transformed by {@link #transformWeights}; same layouts
     * and epilogue as {@link Conv2d#conv2d}.
     */
    public static void conv2d(Conv2dShape s, float[] x, int xOff, Filters u, float[] y, int yOff, Epilogue epilogue,
                              ThreadPool pool) {
        requireSupported(s);
        int m1 = s.outChannels();
        int c1 = s.channels();
        if (u.outChannels != m1 || u.channels != c1) {
            throw new IllegalArgumentException("Winograd filters of " + u.outChannels + "x" + u.channels
                    + " do not fit " + s);
        }
        int oh = s.outH();
        int ow = s.outW();
        int tilesW = Math.ceilDiv(ow, 2);
        int tiles = Math.ceilDiv(oh, 2) * tilesW;
        int nr = KernelProvider.backend().sgemm().nr();
        // tiles per block: whole panels, the 16 transformed inputs within V_BLOCK_FLOATS
        int block = Math.max(nr, V_BLOCK_FLOATS / (16 * c1) / nr * nr);
        block = Math.min(block, Math.ceilDiv(tiles, nr) * nr);
        int panelFloats = PackedMatrix.packedSize(c1, block);
        float[][] v = V.get();
        for (int xi = 0; xi < 16; xi++) {
            if (v[xi].length < panelFloats) {
                v[xi] = new float[panelFloats];
            }
        }
        float[] products = buffer(PRODUCTS, 16 * m1 * block);
        for (int n = 0; n < s.batch(); n++) {
            int image = xOff + n * c1 * s.height() * s.width();
            int out = yOff + n * m1 * oh * ow;
            for (int t0 = 0; t0 < tiles; t0 += block) {
                int tn = Math.min(block, tiles - t0);
                int first = t0;
                pool.parallelFor(c1, c -> transformInputs(s, x, image, c, first, tn, tilesW, nr, v));
                for (int xi = 0; xi < 16; xi++) {
                    Sgemm.sgemm(u.matrices[xi], 1f, PackedMatrix.wrap(c1, tn, v[xi]), 0f, products, xi * m1 * tn, tn,
                            Epilogue.NONE, pool);
                }
                pool.parallelFor(m1, m -> transformOutputs(s, products, m, first, tn, tilesW, y, out, epilogue));
            }
        }
    }

    /**
     * {@code Bt d B} of channel c for tiles [t0, t0 + tn), into the 16 packed matrices {@code v[xi]}
     * (element (c, t) at {@code (t / nr) * C * nr + c * nr + t % nr}).
     */
    private static void transformInputs(Conv2dShape s, float[] x, int image, int c, int t0, int tn, int tilesW, int nr,
                                        float[][] v) {
        int h = s.height();
        int wd = s.width();
        int c1 = s.channels();
        int plane = image + c * h * wd;
        float[] d = new float[16];
        float[] t = new float[16];
        int panels = Math.ceilDiv(tn, nr);
        for (int j = 0; j < panels * nr; j++) {
            int at = (j / nr) * c1 * nr + c * nr + j % nr;
            if (j >= tn) {
                // the last panel's missing tiles: zero columns
                for (int xi = 0; xi < 16; xi++) {
                    v[xi][at] = 0f;
                }
                continue;
            }
            int tile = t0 + j;
            int r0 = (tile / tilesW) * 2 - s.padTop();
            int q0 = (tile % tilesW) * 2 - s.padLeft();
            for (int i = 0; i < 4; i++) {
                int r = r0 + i;
                for (int k = 0; k < 4; k++) {
                    int q = q0 + k;
                    d[4 * i + k] = r >= 0 && r < h && q >= 0 && q < wd ? x[plane + r * wd + q] : 0f;
                }
            }
            // t = Bt d (rows)
            for (int k = 0; k < 4; k++) {
                t[k] = d[k] - d[8 + k];
                t[4 + k] = d[4 + k] + d[8 + k];
                t[8 + k] = d[8 + k] - d[4 + k];
                t[12 + k] = d[4 + k] - d[12 + k];
            }
            // V = t B (columns)
            for (int i = 0; i < 4; i++) {
                float a0 = t[4 * i];
                float a1 = t[4 * i + 1];
                float a2 = t[4 * i + 2];
                float a3 = t[4 * i + 3];
                v[4 * i][at] = a0 - a2;
                v[4 * i + 1][at] = a1 + a2;
                v[4 * i + 2][at] = a2 - a1;
                v[4 * i + 3][at] = a1 - a3;
            }
        }
    }

    /** {@code At P A} of output channel m for tiles [t0, t0 + tn), the epilogue, and the store (clipped at the edges). */
    private static void transformOutputs(Conv2dShape s, float[] p, int m, int t0, int tn, int tilesW, float[] y,
                                         int out, Epilogue e) {
        int m1 = s.outChannels();
        int oh = s.outH();
        int ow = s.outW();
        int plane = out + m * oh * ow;
        float[] q = new float[16];
        for (int j = 0; j < tn; j++) {
            for (int xi = 0; xi < 16; xi++) {
                q[xi] = p[(xi * m1 + m) * tn + j];
            }
            // rows: r0 = q0 + q1 + q2, r1 = q1 - q2 - q3 (At applied to the 4 rows)
            float r00 = q[0] + q[4] + q[8];
            float r01 = q[1] + q[5] + q[9];
            float r02 = q[2] + q[6] + q[10];
            float r03 = q[3] + q[7] + q[11];
            float r10 = q[4] - q[8] - q[12];
            float r11 = q[5] - q[9] - q[13];
            float r12 = q[6] - q[10] - q[14];
            float r13 = q[7] - q[11] - q[15];
            int tile = t0 + j;
            int y0 = (tile / tilesW) * 2;
            int x0 = (tile % tilesW) * 2;
            store(y, plane, ow, oh, y0, x0, r00 + r01 + r02, e, m);
            store(y, plane, ow, oh, y0, x0 + 1, r01 - r02 - r03, e, m);
            store(y, plane, ow, oh, y0 + 1, x0, r10 + r11 + r12, e, m);
            store(y, plane, ow, oh, y0 + 1, x0 + 1, r11 - r12 - r13, e, m);
        }
    }

    private static void store(float[] y, int plane, int ow, int oh, int r, int c, float v, Epilogue e, int m) {
        if (r < oh && c < ow) {
            y[plane + r * ow + c] = e.apply(v, m, r * ow + c);
        }
    }

    private static float[] buffer(ThreadLocal<float[]> holder, int size) {
        float[] b = holder.get();
        if (b.length < size) {
            b = new float[size];
            holder.set(b);
        }
        return b;
    }

    private static void requireSupported(Conv2dShape s) {
        if (!supports(s)) {
            throw new IllegalArgumentException("Winograd F(2x2,3x3) needs a 3x3, stride 1, dilation 1, one-group"
                    + " convolution, got " + s);
        }
    }
}
