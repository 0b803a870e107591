package dev.sprig.kernels.sparse;

/**
 * 2:4 structured sparsity, compressed: every row is cut into groups of 4 consecutive columns (the
 * reduction) holding at most 2 nonzeros; each group stores exactly 2 values
 * ({@code values[2 * (r*groups + g) + s]}, s = 0, 1) and their two 2-bit positions in the group,
 * packed into 4 bits ({@code position(r, g, s)}; two groups per byte). An absent slot stores
 * value 0 at a valid position. Memory: 2.125 bytes per weight against 4 dense.
 */
public final class Compressed2to4Matrix implements SparseMatrix {

    /** Columns per group. */
    public static final int GROUP = 4;

    private final int rows;
    private final int cols;
    private final int groups;
    private final long nonzeros;
    private final float[] values;
    private final byte[] positions;

    private Compressed2to4Matrix(int rows, int cols, int groups, long nonzeros, float[] values, byte[] positions) {
        this.rows = rows;
        this.cols = cols;
        this.groups = groups;
        this.nonzeros = nonzeros;
        this.values = values;
        this.positions = positions;
    }

    /**
     * Compresses the row-major {@code rows x cols} matrix {@code a[off + r*ld + c]}.
     *
     * @throws IllegalArgumentException when a group of 4 holds more than 2 nonzeros (naming it)
     */
    public static Compressed2to4Matrix fromDense(float[] a, int off, int ld, int rows, int cols) {
        return from(new DenseSource(a, off, ld, false, rows, cols));
    }

    /** Compresses the transpose (n x k) of the row-major {@code k x n} matrix {@code b[off + p*ld + j]}. */
    public static Compressed2to4Matrix fromDenseTransposed(float[] b, int off, int ld, int k, int n) {
        return from(new DenseSource(b, off, ld, true, n, k));
    }

    /** True when every group of 4 columns of every row of the matrix holds at most 2 nonzeros. */
    public static boolean fits(float[] a, int off, int ld, int rows, int cols, boolean transposed) {
        DenseSource src = new DenseSource(a, off, ld, transposed, rows, cols);
        for (int r = 0; r < rows; r++) {
            for (int c0 = 0; c0 < cols; c0 += GROUP) {
                int live = 0;
                for (int c = c0; c < Math.min(cols, c0 + GROUP); c++) {
                    live += src.at(r, c) != 0f ? 1 : 0;
                }
                if (live > 2) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Compressed2to4Matrix from(DenseSource src) {
        int groups = Math.ceilDiv(src.cols(), GROUP);
        long slots = 2L * src.rows() * groups;
        if (slots > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("2:4 matrix of " + src.rows() + "x" + src.cols() + " is too large");
        }
        float[] values = new float[(int) slots];
        byte[] positions = new byte[(int) ((slots / 2 + 1) / 2)];
        long nnz = 0;
        for (int r = 0; r < src.rows(); r++) {
            for (int g = 0; g < groups; g++) {
                int c0 = g * GROUP;
                int width = Math.min(GROUP, src.cols() - c0);
                int s = 0;
                int[] pos = {0, 0};
                float[] val = {0f, 0f};
                for (int t = 0; t < width; t++) {
                    float v = src.at(r, c0 + t);
                    if (v != 0f) {
                        if (s == 2) {
                            throw new IllegalArgumentException("not 2:4 sparse: row " + r + ", columns " + c0 + ".."
                                    + (c0 + width - 1) + " hold more than 2 nonzeros");
                        }
                        pos[s] = t;
                        val[s++] = v;
                    }
                }
                nnz += s;
                int slot = r * groups + g;
                values[2 * slot] = val[0];
                values[2 * slot + 1] = val[1];
                // an empty slot keeps position 0 with value 0: always a valid column of the group
                int nibble = pos[0] | (pos[1] << 2);
                positions[slot >> 1] |= (byte) (nibble << ((slot & 1) * 4));
            }
        }
        return new Compressed2to4Matrix(src.rows(), src.cols(), groups, nnz, values, positions);
    }

    @Override
    public SparseFormat format() {
        return SparseFormat.TWO_FOUR;
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    /** Groups of 4 columns per row, {@code ceil(cols / 4)}. */
    public int groups() {
        return groups;
    }

    @Override
    public long nonzeros() {
        return nonzeros;
    }

    @Override
    public long bytes() {
        return 4L * values.length + positions.length;
    }

    /** Column within its group (0..3) of slot s (0 or 1) of group g of row r. */
    public int position(int r, int g, int s) {
        int slot = r * groups + g;
        return (positions[slot >> 1] >> ((slot & 1) * 4 + 2 * s)) & 3;
    }

    @Override
    public float[] toDense() {
        float[] d = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int g = 0; g < groups; g++) {
                for (int s = 0; s < 2; s++) {
                    float v = values[2 * (r * groups + g) + s];
                    if (v != 0f) {
                        d[r * cols + g * GROUP + position(r, g, s)] = v;
                    }
                }
            }
        }
        return d;
    }

    /** Two values per group, row-major by (row, group) (shared: do not modify). */
    public float[] values() {
        return values;
    }

    /** Packed positions: 4 bits per group, the even slot in the low nibble (shared: do not modify). */
    public byte[] positions() {
        return positions;
    }

    @Override
    public String toString() {
        return "Compressed2to4Matrix[" + rows + "x" + cols + ", " + nonzeros + " nonzeros, " + bytes() + " bytes]";
    }
}
