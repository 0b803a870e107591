package dev.sprig.kernels.gemm;

import dev.sprig.kernels.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API GEMM tile of 2 rows x 4 vectors (2x32 floats at 256 bits): 8 accumulators, 4 B
 * loads and 2 A broadcasts per k step, 13 registers. The tile for machines with 16 vector
 * registers (AVX2). Measured with 256-bit vectors and C2 limited to AVX2 (-XX:UseAVX=2, JDK 25,
 * panels in L1, kc = 256): tiles of 12 accumulators over 3 to 6 rows (6x2, 4x3, 3x4) ran at 47-50
 * GFLOP/s against a 101 GFLOP/s FMA peak, 4x2 and 5x2 at 78-83, the 2-row tiles (2x4, 2x5, 2x6) at
 * 91-103. Unrolling k by two made 2x4 slower (76). 2x5 ran its tile 5-10% faster in L1 but the
 * whole GEMM no faster at 512 and 1024, and slower at 256 (40 does not divide the power-of-two
 * widths of most models). With AVX-512's 32 registers {@link SgemmMicrokernel6x2v} is faster and is
 * picked instead.
 */
public final class SgemmMicrokernel2x4v implements SgemmMicrokernel {

    private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    private static final int W = F.length();
    private static final int MR = 2;
    private static final int NR = 4 * W;
    private static final int GEMV_ROWS = 4;

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public String name() {
        return "SgemmMicrokernel2x4v(" + MR + "x" + NR + ")";
    }

    @Override
    public void tile(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc,
                     int rows, int cols, float alpha, float beta, boolean accumulate,
                     Epilogue epilogue, int row0, int col0) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F), c02 = FloatVector.zero(F), c03 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F), c12 = FloatVector.zero(F), c13 = FloatVector.zero(F);
        // indices affine in p: C2's range-check elimination hoists the bounds checks
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * NR;
            int ap = aOff + p * MR;
            FloatVector b0 = FloatVector.fromArray(F, b, bp);
            FloatVector b1 = FloatVector.fromArray(F, b, bp + 1 * W);
            FloatVector b2 = FloatVector.fromArray(F, b, bp + 2 * W);
            FloatVector b3 = FloatVector.fromArray(F, b, bp + 3 * W);
            FloatVector av = FloatVector.broadcast(F, a[ap]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            c02 = av.fma(b2, c02);
            c03 = av.fma(b3, c03);
            av = FloatVector.broadcast(F, a[ap + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            c12 = av.fma(b2, c12);
            c13 = av.fma(b3, c13);
        }
        if (rows == MR && cols == NR && epilogue == null && (accumulate || beta == 0f)) {
            int ci = cOff;
            if (accumulate) {
                FloatVector al = FloatVector.broadcast(F, alpha);
                c00.fma(al, FloatVector.fromArray(F, c, ci)).intoArray(c, ci);
                c01.fma(al, FloatVector.fromArray(F, c, ci + 1 * W)).intoArray(c, ci + 1 * W);
                c02.fma(al, FloatVector.fromArray(F, c, ci + 2 * W)).intoArray(c, ci + 2 * W);
                c03.fma(al, FloatVector.fromArray(F, c, ci + 3 * W)).intoArray(c, ci + 3 * W);
                ci += ldc;
                c10.fma(al, FloatVector.fromArray(F, c, ci)).intoArray(c, ci);
                c11.fma(al, FloatVector.fromArray(F, c, ci + 1 * W)).intoArray(c, ci + 1 * W);
                c12.fma(al, FloatVector.fromArray(F, c, ci + 2 * W)).intoArray(c, ci + 2 * W);
                c13.fma(al, FloatVector.fromArray(F, c, ci + 3 * W)).intoArray(c, ci + 3 * W);
            } else {
                c00.mul(alpha).intoArray(c, ci);
                c01.mul(alpha).intoArray(c, ci + 1 * W);
                c02.mul(alpha).intoArray(c, ci + 2 * W);
                c03.mul(alpha).intoArray(c, ci + 3 * W);
                ci += ldc;
                c10.mul(alpha).intoArray(c, ci);
                c11.mul(alpha).intoArray(c, ci + 1 * W);
                c12.mul(alpha).intoArray(c, ci + 2 * W);
                c13.mul(alpha).intoArray(c, ci + 3 * W);
            }
            return;
        }
        // edges, beta, epilogue: spilled, see VectorTileStore
        float[] acc = new float[MR * NR];
        c00.intoArray(acc, 0 * NR + 0 * W);
        c01.intoArray(acc, 0 * NR + 1 * W);
        c02.intoArray(acc, 0 * NR + 2 * W);
        c03.intoArray(acc, 0 * NR + 3 * W);
        c10.intoArray(acc, 1 * NR + 0 * W);
        c11.intoArray(acc, 1 * NR + 1 * W);
        c12.intoArray(acc, 1 * NR + 2 * W);
        c13.intoArray(acc, 1 * NR + 3 * W);
        new VectorTileStore(NR, c, ldc, cols, alpha, beta, accumulate, epilogue, col0).rows(acc, rows, cOff, row0);
    }

    @Override
    public void panelRows(int m, int k, float[] a, int aOff, int lda, float[] b, int bOff,
                          float[] c, int cOff, int ldc, int cols, float alpha, float beta,
                          Epilogue epilogue, int col0) {
        if (m > GEMV_ROWS) {
            throw new IllegalArgumentException("panelRows handles at most " + GEMV_ROWS + " rows, got " + m);
        }
        float[] acc = new float[GEMV_ROWS * NR];
        if (m == 1) {
            // batch 1, the common case: 4 accumulators, one pass over the panel
            FloatVector g0 = FloatVector.zero(F), g1 = FloatVector.zero(F), g2 = FloatVector.zero(F), g3 = FloatVector.zero(F);
            for (int p = 0; p < k; p++) {
                int bp = bOff + p * NR;
                FloatVector b0 = FloatVector.fromArray(F, b, bp);
                FloatVector b1 = FloatVector.fromArray(F, b, bp + 1 * W);
                FloatVector b2 = FloatVector.fromArray(F, b, bp + 2 * W);
                FloatVector b3 = FloatVector.fromArray(F, b, bp + 3 * W);
                FloatVector av = FloatVector.broadcast(F, a[aOff + p]);
                g0 = av.fma(b0, g0);
                g1 = av.fma(b1, g1);
                g2 = av.fma(b2, g2);
                g3 = av.fma(b3, g3);
            }
            g0.intoArray(acc, 0 * W);
            g1.intoArray(acc, 1 * W);
            g2.intoArray(acc, 2 * W);
            g3.intoArray(acc, 3 * W);
        } else {
            // rows past m repeat the last row: memory-bound, their FMAs are free
            int a0 = aOff;
            int a1 = aOff + Math.min(1, m - 1) * lda;
            int a2 = aOff + Math.min(2, m - 1) * lda;
            int a3 = aOff + Math.min(3, m - 1) * lda;
            FloatVector d00 = FloatVector.zero(F), d01 = FloatVector.zero(F), d02 = FloatVector.zero(F), d03 = FloatVector.zero(F);
            FloatVector d10 = FloatVector.zero(F), d11 = FloatVector.zero(F), d12 = FloatVector.zero(F), d13 = FloatVector.zero(F);
            FloatVector d20 = FloatVector.zero(F), d21 = FloatVector.zero(F), d22 = FloatVector.zero(F), d23 = FloatVector.zero(F);
            FloatVector d30 = FloatVector.zero(F), d31 = FloatVector.zero(F), d32 = FloatVector.zero(F), d33 = FloatVector.zero(F);
            for (int p = 0; p < k; p++) {
                int bp = bOff + p * NR;
                FloatVector b0 = FloatVector.fromArray(F, b, bp);
                FloatVector b1 = FloatVector.fromArray(F, b, bp + 1 * W);
                FloatVector b2 = FloatVector.fromArray(F, b, bp + 2 * W);
                FloatVector b3 = FloatVector.fromArray(F, b, bp + 3 * W);
                FloatVector av = FloatVector.broadcast(F, a[a0 + p]);
                d00 = av.fma(b0, d00);
                d01 = av.fma(b1, d01);
                d02 = av.fma(b2, d02);
                d03 = av.fma(b3, d03);
                av = FloatVector.broadcast(F, a[a1 + p]);
                d10 = av.fma(b0, d10);
                d11 = av.fma(b1, d11);
                d12 = av.fma(b2, d12);
                d13 = av.fma(b3, d13);
                av = FloatVector.broadcast(F, a[a2 + p]);
                d20 = av.fma(b0, d20);
                d21 = av.fma(b1, d21);
                d22 = av.fma(b2, d22);
                d23 = av.fma(b3, d23);
                av = FloatVector.broadcast(F, a[a3 + p]);
                d30 = av.fma(b0, d30);
                d31 = av.fma(b1, d31);
                d32 = av.fma(b2, d32);
                d33 = av.fma(b3, d33);
            }
            d00.intoArray(acc, 0 * NR + 0 * W);
            d01.intoArray(acc, 0 * NR + 1 * W);
            d02.intoArray(acc, 0 * NR + 2 * W);
            d03.intoArray(acc, 0 * NR + 3 * W);
            d10.intoArray(acc, 1 * NR + 0 * W);
            d11.intoArray(acc, 1 * NR + 1 * W);
            d12.intoArray(acc, 1 * NR + 2 * W);
            d13.intoArray(acc, 1 * NR + 3 * W);
            d20.intoArray(acc, 2 * NR + 0 * W);
            d21.intoArray(acc, 2 * NR + 1 * W);
            d22.intoArray(acc, 2 * NR + 2 * W);
            d23.intoArray(acc, 2 * NR + 3 * W);
            d30.intoArray(acc, 3 * NR + 0 * W);
            d31.intoArray(acc, 3 * NR + 1 * W);
            d32.intoArray(acc, 3 * NR + 2 * W);
            d33.intoArray(acc, 3 * NR + 3 * W);
        }
        new VectorTileStore(NR, c, ldc, cols, alpha, beta, false, epilogue, col0).rows(acc, m, cOff, 0);
    }
}
