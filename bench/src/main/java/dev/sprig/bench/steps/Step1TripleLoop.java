package dev.sprig.bench.steps;

/**
 * Step 1 of the GEMM ladder: {@code C = A * B} (row-major, A m x k, B k x n, C m x n) as the
 * textbook triple loop i-j-k. Each C element is a dot product of a row of A with a column of B;
 * walking down the column reads B with a stride of n floats, one cache line per multiply-add, so
 * the loop waits on memory. Nothing in it vectorises: B's column is strided, and the sum is a
 * serial chain of float adds, which C2 may not reorder.
 */
public final class Step1TripleLoop {

    private Step1TripleLoop() {
    }

    /** Overwrites C with A * B. */
    public static void multiply(int m, int n, int k, float[] a, float[] b, float[] c) {
        GemmOperands.check(m, n, k, a, b, c);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0; p < k; p++) {
                    sum += a[i * k + p] * b[p * n + j];
                }
                c[i * n + j] = sum;
            }
        }
    }
}
