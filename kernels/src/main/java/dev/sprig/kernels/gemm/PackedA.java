package dev.sprig.kernels.gemm;

import dev.sprig.kernels.KernelProvider;
import dev.sprig.kernels.Ranges;

/**
 * The A operand of {@link Sgemm} packed once for the backend's microkernel: a layer's weights
 * when they are the left factor, as a convolution's filters are ({@code Y = W * columns}).
 * Without it every call packs A again, block by block; when the other factor is narrow (the
 * 7x7 and 14x14 layers of a CNN: 49 or 196 columns) that copy costs more than the products —
 * the 512x512x3x3 ResNet layer on 7x7 spent most of its time packing its 9 MiB of filters.
 *
 * <p>Layout: the {@code MC x KC} blocks the GEMM would pack on every call, packed once, block
 * row by block row ({@code MC} rows from row 0, {@code KC} deep from k = 0), each block in the
 * packed-A layout (slivers of {@code mr} rows, element (r, p) of a sliver at {@code p * mr + r},
 * the last sliver zero-padded). Whole-k slivers were tried first: a block's slivers then lay
 * {@code k * mr * 4} bytes apart (36 KiB for a 3x3x512 filter), all on the same L1 sets, and the
 * 512x512x3x3 layer ran at 28 GFLOP/s. A matrix of at most 4 rows, which takes the small-M path,
 * is kept row-major instead.
 */
public final class PackedA {

    private final int m;
    private final int k;
    private final int mr;
    private final int mcMax;
    private final int kcMax;
    private final float[] data;

    private PackedA(int m, int k, int mr, int mcMax, int kcMax, float[] data) {
        this.m = m;
        this.k = k;
        this.mr = mr;
        this.mcMax = mcMax;
        this.kcMax = kcMax;
        this.data = data;
    }

    /** Packs op(A), m x k, for the backend's microkernel. */
    public static PackedA pack(boolean transA, int m, int k, float[] a, int aOff, int lda) {
        return pack(KernelProvider.backend().sgemm(), transA, m, k, a, aOff, lda);
    }

    /** Packs for a given microkernel (the tester runs every tile shape). */
    static PackedA pack(SgemmMicrokernel kernel, boolean transA, int m, int k, float[] a, int aOff, int lda) {
        if (m < 0 || k < 0) {
            throw new IllegalArgumentException("packed A: dimensions must be >= 0, got " + m + "x" + k);
        }
        if (transA) {
            Ranges.checkMatrix("A (transposed)", aOff, k, m, lda, a.length);
        } else {
            Ranges.checkMatrix("A", aOff, m, k, lda, a.length);
        }
        int mr = kernel.mr();
        if (m <= Sgemm.SMALL_M) {
            float[] rows = new float[m * k];
            for (int i = 0; i < m; i++) {
                for (int p = 0; p < k; p++) {
                    rows[i * k + p] = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                }
            }
            return new PackedA(m, k, 0, 0, 0, rows);
        }
        long size = (long) Math.ceilDiv(m, mr) * mr * k;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("packed A of " + m + "x" + k + " needs " + size
                    + " floats, more than a Java array holds");
        }
        int mcMax = Sgemm.mc(kernel);
        int kcMax = Sgemm.kc(kernel);
        PackedA packed = new PackedA(m, k, mr, mcMax, kcMax, new float[(int) size]);
        float[] block = new float[mcMax * kcMax];
        for (int ic = 0; ic < m; ic += mcMax) {
            int mc = Math.min(mcMax, m - ic);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                Sgemm.packA(transA, a, aOff, lda, ic, mc, pc, kc, mr, block);
                System.arraycopy(block, 0, packed.data, packed.offset(ic, pc), Math.ceilDiv(mc, mr) * mr * kc);
            }
        }
        return packed;
    }

    /** Rows of the packed matrix. */
    public int m() {
        return m;
    }

    /** Columns of the packed matrix (the GEMM's reduction length). */
    public int k() {
        return k;
    }

    /** The sliver height it was packed for; 0 when kept row-major (m <= SMALL_M). */
    int mr() {
        return mr;
    }

    float[] data() {
        return data;
    }

    /**
     * Start of the micro-panel of rows [i, i + mr) (i a multiple of mr) over the k block starting at
     * {@code p} (a multiple of KC): in block row {@code i / MC}, after the earlier k blocks of that
     * block row, at sliver {@code (i % MC) / mr} of the block.
     */
    int offset(int i, int p) {
        int ic = i / mcMax * mcMax;
        int rows = Math.ceilDiv(Math.min(mcMax, m - ic), mr) * mr;
        int kc = Math.min(kcMax, k - p);
        return ic * k + rows * p + (i - ic) * kc;
    }

    /** Bytes held. */
    public long bytes() {
        return (long) data.length * Float.BYTES;
    }

    @Override
    public String toString() {
        return "PackedA[" + m + "x" + k + (mr == 0 ? ", rows" : ", mr=" + mr) + "]";
    }
}
