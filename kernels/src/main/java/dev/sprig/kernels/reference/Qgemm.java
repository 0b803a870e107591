package dev.sprig.kernels.reference;

/**
 * Reference integer GEMM, the obvious triple loop with ONNX {@code MatMulInteger} semantics:
 * {@code C[i][j] = sum_p (A[i][p] - aZero) * (B[p][j] - bZero[j])} in int32, row-major, C
 * overwritten. A is m x k at {@code a[aOff + i*lda + p]}, B is k x n at {@code b[bOff + p*ldb + j]},
 * C at {@code c[cOff + i*ldc + j]}. A byte is read as int8 (-128..127) when its operand is signed,
 * else as uint8 ({@code b & 0xFF}). {@code bZero} has length 1 (per tensor) or n (per column).
 */
public final class Qgemm {

    private Qgemm() {
    }

    /** The reference product; see the class comment. */
    public static void qgemm(int m, int n, int k, byte[] a, int aOff, int lda, boolean aSigned, int aZero,
                             byte[] b, int bOff, int ldb, boolean bSigned, int[] bZero,
                             int[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int zb = bZero.length == 1 ? bZero[0] : bZero[j];
                int sum = 0;
                for (int p = 0; p < k; p++) {
                    int aip = value(a[aOff + i * lda + p], aSigned) - aZero;
                    int bpj = value(b[bOff + p * ldb + j], bSigned) - zb;
                    sum += aip * bpj;
                }
                c[cOff + i * ldc + j] = sum;
            }
        }
    }

    /** A stored byte as the integer it encodes: int8 when signed, else uint8. */
    public static int value(byte v, boolean signed) {
        return signed ? v : v & 0xFF;
    }
}
