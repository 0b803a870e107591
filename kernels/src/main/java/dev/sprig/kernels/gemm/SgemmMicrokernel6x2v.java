package dev.sprig.kernels.gemm;

import dev.sprig.kernels.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
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
        int ap = aOff;
        int bp = bOff;
        for (int p = 0; p < kc; p++, ap += MR, bp += NR) {
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
        Store s = new Store(c, ldc, cols, alpha, beta, accumulate, epilogue, col0);
        s.row(c00, c01, cOff, row0);
        if (rows > 1) {
            s.row(c10, c11, cOff + ldc, row0 + 1);
        }
        if (rows > 2) {
            s.row(c20, c21, cOff + 2 * ldc, row0 + 2);
        }
        if (rows > 3) {
            s.row(c30, c31, cOff + 3 * ldc, row0 + 3);
        }
        if (rows > 4) {
            s.row(c40, c41, cOff + 4 * ldc, row0 + 4);
        }
        if (rows > 5) {
            s.row(c50, c51, cOff + 5 * ldc, row0 + 5);
        }
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
        Store s = new Store(c, ldc, cols, alpha, beta, false, epilogue, col0);
        s.row(c00, c01, cOff, 0);
        if (m > 1) {
            s.row(c10, c11, cOff + ldc, 1);
        }
        if (m > 2) {
            s.row(c20, c21, cOff + 2 * ldc, 2);
        }
        if (m > 3) {
            s.row(c30, c31, cOff + 3 * ldc, 3);
        }
    }

    /**
     * The store rule of {@link SgemmMicrokernel#tile} for one row of the tile, lane for lane the
     * same arithmetic as {@link SgemmMicrokernelScalar#store}. Escape analysis removes the object.
     */
    private record Store(float[] c, int ldc, int cols, float alpha, float beta, boolean accumulate,
                         Epilogue epilogue, int col0) {

        void row(FloatVector acc0, FloatVector acc1, int ci, int row) {
            half(acc0, ci, cols, row, col0);
            if (cols > W) {
                half(acc1, ci + W, cols - W, row, col0 + W);
            }
        }

        // two paths, no nullable mask: a phi merging a null VectorMask with a real one crashed
        // C2 (SIGSEGV in the compiled store, JDK 25.0.3) the first time this was written that way
        private void half(FloatVector acc, int ci, int valid, int row, int col) {
            if (valid >= W) {
                FloatVector v = combine(acc, accumulate || beta != 0f ? FloatVector.fromArray(F, c, ci) : acc);
                if (epilogue != null) {
                    v = activate(epilogue.bias() == Epilogue.Bias.PER_COLUMN
                            ? v.add(FloatVector.fromArray(F, epilogue.biasData(), epilogue.biasOffset() + col))
                            : addRowBias(v, row));
                }
                v.intoArray(c, ci);
            } else {
                VectorMask<Float> mask = F.indexInRange(0, valid);
                FloatVector v = combine(acc, accumulate || beta != 0f ? FloatVector.fromArray(F, c, ci, mask) : acc);
                if (epilogue != null) {
                    v = activate(epilogue.bias() == Epilogue.Bias.PER_COLUMN
                            ? v.add(FloatVector.fromArray(F, epilogue.biasData(), epilogue.biasOffset() + col, mask))
                            : addRowBias(v, row));
                }
                v.intoArray(c, ci, mask);
            }
        }

        /** alpha * acc combined with the old C values, as {@link SgemmMicrokernelScalar#store} does. */
        private FloatVector combine(FloatVector acc, FloatVector old) {
            if (accumulate) {
                return acc.fma(FloatVector.broadcast(F, alpha), old);
            } else if (beta == 0f) {
                return acc.mul(alpha);
            }
            return acc.fma(FloatVector.broadcast(F, alpha), old.mul(beta));
        }

        private FloatVector addRowBias(FloatVector v, int row) {
            return epilogue.bias() == Epilogue.Bias.PER_ROW
                    ? v.add(epilogue.biasData()[epilogue.biasOffset() + row])
                    : v;
        }

        private FloatVector activate(FloatVector v) {
            return switch (epilogue.activation()) {
                case NONE -> v;
                case RELU -> v.max(0f);
                case CLIP -> v.max(epilogue.min()).min(epilogue.max());
            };
        }
    }
}
