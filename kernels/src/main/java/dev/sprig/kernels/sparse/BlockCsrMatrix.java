package dev.sprig.kernels.sparse;

/**
 * Block-CSR of 1x4 blocks: each row is cut into aligned groups of 4 consecutive columns (the
 * reduction), and a group with any nonzero is stored whole. Row r's blocks are q in
 * {@code [blockPtr[r], blockPtr[r+1])}, starting at column {@code blockCol[q]} (a multiple of 4),
 * with values {@code values[4q .. 4q+3]}; a last group cut short by k is zero-padded. One index
 * per 4 weights: for block-pruned weights it stores 5 bytes per weight against CSR's 8 and reads
 * 4 neighbouring activations per index.
 */
public final class BlockCsrMatrix implements SparseMatrix {

    /** Columns per block. */
    public static final int BLOCK = 4;

    private final int rows;
    private final int cols;
    private final long nonzeros;
    private final int[] blockPtr;
    private final int[] blockCol;
    private final float[] values;

    private BlockCsrMatrix(int rows, int cols, long nonzeros, int[] blockPtr, int[] blockCol, float[] values) {
        this.rows = rows;
        this.cols = cols;
        this.nonzeros = nonzeros;
        this.blockPtr = blockPtr;
        this.blockCol = blockCol;
        this.values = values;
    }

    /** The 1x4 blocks of the row-major {@code rows x cols} matrix {@code a[off + r*ld + c]}. */
    public static BlockCsrMatrix fromDense(float[] a, int off, int ld, int rows, int cols) {
        return from(new DenseSource(a, off, ld, false, rows, cols));
    }

    /** The 1x4 blocks of the transpose (n x k) of the row-major {@code k x n} matrix {@code b[off + p*ld + j]}. */
    public static BlockCsrMatrix fromDenseTransposed(float[] b, int off, int ld, int k, int n) {
        return from(new DenseSource(b, off, ld, true, n, k));
    }

    private static BlockCsrMatrix from(DenseSource src) {
        int groups = Math.ceilDiv(src.cols(), BLOCK);
        int[] blockPtr = new int[src.rows() + 1];
        int blocks = 0;
        long nnz = 0;
        for (int r = 0; r < src.rows(); r++) {
            for (int g = 0; g < groups; g++) {
                int live = 0;
                for (int c = g * BLOCK; c < Math.min(src.cols(), (g + 1) * BLOCK); c++) {
                    live += src.at(r, c) != 0f ? 1 : 0;
                }
                nnz += live;
                blocks += live > 0 ? 1 : 0;
            }
            blockPtr[r + 1] = blocks;
        }
        int[] blockCol = new int[blocks];
        float[] values = new float[blocks * BLOCK];
        int q = 0;
        for (int r = 0; r < src.rows(); r++) {
            for (int g = 0; g < groups; g++) {
                int c0 = g * BLOCK;
                int c1 = Math.min(src.cols(), c0 + BLOCK);
                boolean live = false;
                for (int c = c0; c < c1; c++) {
                    live |= src.at(r, c) != 0f;
                }
                if (live) {
                    blockCol[q] = c0;
                    for (int c = c0; c < c1; c++) {
                        values[q * BLOCK + c - c0] = src.at(r, c);
                    }
                    q++;
                }
            }
        }
        return new BlockCsrMatrix(src.rows(), src.cols(), nnz, blockPtr, blockCol, values);
    }

    @Override
    public SparseFormat format() {
        return SparseFormat.BLOCK_1X4;
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
        return nonzeros;
    }

    /** Stored blocks. */
    public int blocks() {
        return blockCol.length;
    }

    @Override
    public long bytes() {
        return 4L * values.length + 4L * blockCol.length + 4L * blockPtr.length;
    }

    @Override
    public float[] toDense() {
        float[] d = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int q = blockPtr[r]; q < blockPtr[r + 1]; q++) {
                for (int t = 0; t < BLOCK && blockCol[q] + t < cols; t++) {
                    d[r * cols + blockCol[q] + t] = values[q * BLOCK + t];
                }
            }
        }
        return d;
    }

    /** Block pointers, {@code rows + 1} entries (shared: do not modify). */
    public int[] blockPtr() {
        return blockPtr;
    }

    /** First column of each block, a multiple of 4 (shared: do not modify). */
    public int[] blockCol() {
        return blockCol;
    }

    /** Four values per block (shared: do not modify). */
    public float[] values() {
        return values;
    }

    @Override
    public String toString() {
        return "BlockCsrMatrix[" + rows + "x" + cols + ", 1x4 blocks: " + blocks() + ", " + bytes() + " bytes]";
    }
}
