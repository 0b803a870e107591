package dev.sprig.kernels.reference;

import dev.sprig.kernels.gemm.Epilogue;

/**
 * Reference GEMM, the obvious triple loop:
 * {@code C = act(alpha * op(A) * op(B) + beta * C + bias)}, row-major, where op(X) is X or its
 * transpose. op(A) is m x k, op(B) is k x n, C is m x n. When beta is 0, C is not read (NaN in C
 * does not propagate), as BLAS specifies.
 */
public final class Sgemm {

    private Sgemm() {
    }

    /** The reference product; see the class comment. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc, Epilogue epilogue) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    sum += aip * bpj;
                }
                int ci = cOff + i * ldc + j;
                float v = beta == 0f ? alpha * sum : alpha * sum + beta * c[ci];
                c[ci] = epilogue.apply(v, i, j);
            }
        }
    }
}
