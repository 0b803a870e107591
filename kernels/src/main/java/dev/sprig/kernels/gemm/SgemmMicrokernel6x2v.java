package dev.sprig.kernels.gemm;

import dev.sprig.kernels.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API GEMM tile of 6 rows x 2 vectors (6x16 floats at 256 bits): 12 accumulators, 2 B
 * loads and one A broadcast per k step, 15 of the 16 ymm registers of AVX2. Each k step issues 12
 * independent FMAs, enough to cover the FMA latency (4 cycles) at two FMAs per cycle.
 *
 * <p>Accumulator form is {@code acc = a.fma(b, acc)} (vfmadd231ps: the accumulator is the
 * addend), which C2 compiles without a register copy.
 */
public final class SgemmMicrokernel6x2v implements SgemmMicrokernel {

    private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    private static final int W = F.length();
    private static final int MR = 6;
    private static final int NR = 2 * W;
    /** Rows of the small-M path: 4 rows x 2 vectors = 8 accumulators. */
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
        return "SgemmMicrokernel6x2v(" + MR + "x" + NR + ")";
    }

    @Override
    public void tile(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc,
                     int rows, int cols, float alpha, float beta, boolean accumulate,
                     Epilogue epilogue, int row0, int col0) {
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
        FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
        // indices are affine in the loop variable p so that C2's range-check elimination hoists
        // the bounds checks of the panel loads out of the loop
        for (int p = 0; p < kc; p++) {
            int bp = bOff + p * NR;
            int ap = aOff + p * MR;
            FloatVector b0 = FloatVector.fromArray(F, b, bp);
            FloatVector b1 = FloatVector.fromArray(F, b, bp + W);
            FloatVector av = FloatVector.broadcast(F, a[ap]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(F, a[ap + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(F, a[ap + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(F, a[ap + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(F, a[ap + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(F, a[ap + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        if (rows == MR && cols == NR && epilogue == null && (accumulate || beta == 0f)) {
            // the common full tile, stored straight from registers
            if (accumulate) {
                FloatVector al = FloatVector.broadcast(F, alpha);
                int ci = cOff;
                c00.fma(al, FloatVector.fromArray(F, c, ci)).intoArray(c, ci);
                c01.fma(al, FloatVector.fromArray(F, c, ci + W)).intoArray(c, ci + W);
                ci += ldc;
                c10.fma(al, FloatVector.fromArray(F, c, ci)).intoArray(c, ci);
                c11.fma(al, FloatVector.fromArray(F, c, ci + W)).intoArray(c, ci + W);
                ci += ldc;
                c20.fma(al, FloatVector.fromArray(F, c, ci)).intoArray(c, ci);
                c21.fma(al, FloatVector.fromArray(F, c, ci + W)).intoArray(c, ci + W);
                ci += ldc;
                c30.fma(al, FloatVector.fromArray(F, c, ci)).intoArray(c, ci);
                c31.fma(al, FloatVector.fromArray(F, c, ci + W)).intoArray(c, ci + W);
                ci += ldc;
                c40.fma(al, FloatVector.fromArray(F, c, ci)).intoArray(c, ci);
                c41.fma(al, FloatVector.fromArray(F, c, ci + W)).intoArray(c, ci + W);
                ci += ldc;
                c50.fma(al, FloatVector.fromArray(F, c, ci)).intoArray(c, ci);
                c51.fma(al, FloatVector.fromArray(F, c, ci + W)).intoArray(c, ci + W);
            } else {
                int ci = cOff;
                c00.mul(alpha).intoArray(c, ci);
                c01.mul(alpha).intoArray(c, ci + W);
                ci += ldc;
                c10.mul(alpha).intoArray(c, ci);
                c11.mul(alpha).intoArray(c, ci + W);
                ci += ldc;
                c20.mul(alpha).intoArray(c, ci);
                c21.mul(alpha).intoArray(c, ci + W);
                ci += ldc;
                c30.mul(alpha).intoArray(c, ci);
                c31.mul(alpha).intoArray(c, ci + W);
                ci += ldc;
                c40.mul(alpha).intoArray(c, ci);
                c41.mul(alpha).intoArray(c, ci + W);
                ci += ldc;
                c50.mul(alpha).intoArray(c, ci);
                c51.mul(alpha).intoArray(c, ci + W);
            }
            return;
        }
        // edges, beta and the epilogue: spill the accumulators to an array and store from there.
        // Passing the vectors themselves to a helper that C2 does not inline (the tile hits
        // NodeCountInliningCutoff) boxes all twelve and ran the whole GEMM at a tenth of the speed.
        float[] acc = new float[MR * NR];
        c00.intoArray(acc, 0);
        c01.intoArray(acc, W);
        c10.intoArray(acc, NR);
        c11.intoArray(acc, NR + W);
        c20.intoArray(acc, 2 * NR);
        c21.intoArray(acc, 2 * NR + W);
        c30.intoArray(acc, 3 * NR);
        c31.intoArray(acc, 3 * NR + W);
        c40.intoArray(acc, 4 * NR);
        c41.intoArray(acc, 4 * NR + W);
        c50.intoArray(acc, 5 * NR);
        c51.intoArray(acc, 5 * NR + W);
        new VectorTileStore(NR, c, ldc, cols, alpha, beta, accumulate, epilogue, col0).rows(acc, rows, cOff, row0);
    }

    @Override
    public void panelRows(int m, int k, float[] a, int aOff, int lda, float[] b, int bOff,
                          float[] c, int cOff, int ldc, int cols, float alpha, float beta,
                          Epilogue epilogue, int col0) {
        if (m > GEMV_ROWS) {
            throw new IllegalArgumentException("panelRows handles at most " + GEMV_ROWS + " rows, got " + m);
        }
        // rows past m repeat the last row (the loop is memory-bound: their FMAs are free)
        int a0 = aOff;
        int a1 = aOff + Math.min(1, m - 1) * lda;
        int a2 = aOff + Math.min(2, m - 1) * lda;
        int a3 = aOff + Math.min(3, m - 1) * lda;
        FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
        FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
        FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
        FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
        int bp = bOff;
        for (int p = 0; p < k; p++, bp += NR) {
            FloatVector b0 = FloatVector.fromArray(F, b, bp);
            FloatVector b1 = FloatVector.fromArray(F, b, bp + W);
            FloatVector av = FloatVector.broadcast(F, a[a0 + p]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(F, a[a1 + p]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(F, a[a2 + p]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(F, a[a3 + p]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
        }
        float[] acc = new float[GEMV_ROWS * NR];
        c00.intoArray(acc, 0);
        c01.intoArray(acc, W);
        c10.intoArray(acc, NR);
        c11.intoArray(acc, NR + W);
        c20.intoArray(acc, 2 * NR);
        c21.intoArray(acc, 2 * NR + W);
        c30.intoArray(acc, 3 * NR);
        c31.intoArray(acc, 3 * NR + W);
        new VectorTileStore(NR, c, ldc, cols, alpha, beta, false, epilogue, col0).rows(acc, m, cOff, 0);
    }
}
