package dev.sprig.kernels.sparse;

import dev.sprig.kernels.Ranges;

/**
 * A dense row-major matrix read as the m x k sparse operand, either as it lies
 * ({@code a[off + r*ld + c]}) or transposed ({@code a[off + c*ld + r]}: a MatMul weight k x n
 * read as its transpose n x k, outputs as rows).
 */
record DenseSource(float[] a, int off, int ld, boolean transposed, int rows, int cols) {

    DenseSource {
        if (transposed) {
            Ranges.checkMatrix("dense weights (transposed)", off, cols, rows, ld, a.length);
        } else {
            Ranges.checkMatrix("dense weights", off, rows, cols, ld, a.length);
        }
    }

    float at(int r, int c) {
        return transposed ? a[off + c * ld + r] : a[off + r * ld + c];
    }
}
