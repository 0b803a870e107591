package dev.sprig.kernels.sparse;

import java.util.Arrays;

/**
 * Compressed sparse rows: row r's nonzeros are {@code values[q]} at columns {@code colIdx[q]} for
 * q in {@code [rowPtr[r], rowPtr[r+1])}, columns ascending. For unstructured sparsity. Memory: 8
 * bytes per nonzero plus 4 per row, so it beats dense storage above 50% sparsity.
 */
public final class CsrMatrix implements SparseMatrix {

    private final int rows;
    private final int cols;
    private final int[] rowPtr;
    private final int[] colIdx;
    private final float[] values;

    private CsrMatrix(int rows, int cols, int[] rowPtr, int[] colIdx, float[] values) {
        this.rows = rows;
        this.cols = cols;
        this.rowPtr = rowPtr;
        this.colIdx = colIdx;
        this.values = values;
    }

    /** The nonzeros of the row-major {@code rows x cols} matrix {@code a[off + r*ld + c]}. */
    public static CsrMatrix fromDense(float[] a, int off, int ld, int rows, int cols) {
        return from(new DenseSource(a, off, ld, false, rows, cols));
    }

    /**
     * The transpose of the row-major {@code k x n} matrix {@code b[off + p*ld + j]}: an n x k CSR
     * whose row j holds column j of b. A MatMul weight stored this way makes every output a sparse
     * dot product ({@link Spmm#denseTimesSparseTransposed}).
     */
    public static CsrMatrix fromDenseTransposed(float[] b, int off, int ld, int k, int n) {
        return from(new DenseSource(b, off, ld, true, n, k));
    }

    private static CsrMatrix from(DenseSource src) {
        int[] rowPtr = new int[src.rows() + 1];
        int nnz = 0;
        for (int r = 0; r < src.rows(); r++) {
            for (int c = 0; c < src.cols(); c++) {
                if (src.at(r, c) != 0f) {
                    nnz++;
                }
            }
            rowPtr[r + 1] = nnz;
        }
        int[] colIdx = new int[nnz];
        float[] values = new float[nnz];
        int q = 0;
        for (int r = 0; r < src.rows(); r++) {
            for (int c = 0; c < src.cols(); c++) {
                float v = src.at(r, c);
                if (v != 0f) {
                    colIdx[q] = c;
                    values[q++] = v;
                }
            }
        }
        return new CsrMatrix(src.rows(), src.cols(), rowPtr, colIdx, values);
    }

    @Override
    public SparseFormat format() {
        return SparseFormat.CSR;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public long nonzeros() {
        return values.length;
    }

    @Override
    public long bytes() {
        return 4L * values.length + 4L * colIdx.length + 4L * rowPtr.length;
    }

    @Override
    public float[] toDense() {
        float[] d = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int q = rowPtr[r]; q < rowPtr[r + 1]; q++) {
                d[r * cols + colIdx[q]] = values[q];
            }
        }
        return d;
    }

    /** Row pointers, {@code rows + 1} entries (shared, not copied: do not modify). */
    public int[] rowPtr() {
        return rowPtr;
    }

    /** Column of each nonzero (shared, not copied: do not modify). */
    public int[] colIdx() {
        return colIdx;
    }

    /** Value of each nonzero (shared, not copied: do not modify). */
    public float[] values() {
        return values;
    }

    @Override
    public String toString() {
        return "CsrMatrix[" + rows + "x" + cols + ", " + values.length + " nonzeros, " + bytes() + " bytes]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CsrMatrix m && rows == m.rows && cols == m.cols && Arrays.equals(rowPtr, m.rowPtr)
                && Arrays.equals(colIdx, m.colIdx) && Arrays.equals(values, m.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(rowPtr) + Arrays.hashCode(values);
    }
}
