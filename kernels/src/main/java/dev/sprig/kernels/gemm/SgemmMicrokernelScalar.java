package dev.sprig.kernels.gemm;

/**
 * The scalar backend's GEMM tile, 4x4, a plain loop. It follows the same per-element arithmetic
 * as the vector tile (a fused multiply-add chain over p, then the same store rule) so the driver
 * logic is exercised identically on both backends.
 */
public final class SgemmMicrokernelScalar implements SgemmMicrokernel {

    /** The one instance. */
    public static final SgemmMicrokernelScalar INSTANCE = new SgemmMicrokernelScalar();

    private static final int MR = 4;
    private static final int NR = 4;

    private SgemmMicrokernelScalar() {
    }

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
        return "SgemmMicrokernelScalar(" + MR + "x" + NR + ")";
    }

    @Override
    public void tile(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc,
                     int rows, int cols, float alpha, float beta, boolean accumulate,
                     Epilogue epilogue, int row0, int col0) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                float acc = 0f;
                for (int p = 0; p < kc; p++) {
                    acc = Math.fma(a[aOff + p * MR + r], b[bOff + p * NR + j], acc);
                }
                int ci = cOff + r * ldc + j;
                c[ci] = store(acc, c[ci], alpha, beta, accumulate, epilogue, row0 + r, col0 + j);
            }
        }
    }

    @Override
    public void panelRows(int m, int k, float[] a, int aOff, int lda, float[] b, int bOff,
                          float[] c, int cOff, int ldc, int cols, float alpha, float beta,
                          Epilogue epilogue, int col0) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < cols; j++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) {
                    acc = Math.fma(a[aOff + i * lda + p], b[bOff + p * NR + j], acc);
                }
                int ci = cOff + i * ldc + j;
                c[ci] = store(acc, c[ci], alpha, beta, false, epilogue, i, col0 + j);
            }
        }
    }

    /** The store rule of {@link SgemmMicrokernel#tile}, one element. */
    static float store(float acc, float old, float alpha, float beta, boolean accumulate,
                       Epilogue epilogue, int row, int col) {
        float v;
        if (accumulate) {
            v = Math.fma(acc, alpha, old);
        } else if (beta == 0f) {
            v = acc * alpha;
        } else {
            v = Math.fma(acc, alpha, old * beta);
        }
        return epilogue == null ? v : epilogue.apply(v, row, col);
    }
}
