package dev.sprig.bench.steps;

/** The one precondition every step shares: A, B and C hold m x k, k x n and m x n row-major floats. */
final class GemmOperands {

    private GemmOperands() {
    }

    /**
     * @throws IllegalArgumentException naming the operand, the size it needs and the size it has, or a
     *                                  negative dimension
     */
    static void check(int m, int n, int k, float[] a, float[] b, float[] c) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("dimensions must be >= 0, got m=" + m + " n=" + n + " k=" + k);
        }
        need("A", (long) m * k, a);
        need("B", (long) k * n, b);
        need("C", (long) m * n, c);
    }

    private static void need(String name, long floats, float[] array) {
        if (array.length < floats) {
            throw new IllegalArgumentException(name + " must hold at least " + floats + " floats, got " + array.length);
        }
    }
}
