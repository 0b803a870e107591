package dev.sprig.kernels.sparse;

/**
 * An m x k weight matrix in one of the sparse formats, built once (at session creation) from the
 * dense weights. Rows are outputs and columns the reduction: the products in {@link Spmm} compute
 * {@code C = W * X} (1x1 conv, NCHW) or {@code Y = X * W^T} (MatMul/Gemm with W^T stored).
 */
public sealed interface SparseMatrix permits CsrMatrix, BlockCsrMatrix, Compressed2to4Matrix {

    /** The format of this matrix. */
    SparseFormat format();

    /** Rows (outputs). */
    int rows();

    /** Columns (the reduction length k). */
    int cols();

    /** Nonzero weights of the dense matrix this was built from. */
    long nonzeros();

    /** Fraction of zero weights in the dense matrix, in [0, 1] (0 for an empty matrix). */
    default double sparsity() {
        long total = (long) rows() * cols();
        return total == 0 ? 0.0 : 1.0 - (double) nonzeros() / total;
    }

    /** Bytes this format stores (values, indices and row pointers). */
    long bytes();

    /** Bytes the dense row-major matrix takes: {@code 4 * rows * cols}. */
    default long denseBytes() {
        return 4L * rows() * cols();
    }

    /** The dense row-major matrix (rows x cols) with zeros where no weight is stored. */
    float[] toDense();
}
