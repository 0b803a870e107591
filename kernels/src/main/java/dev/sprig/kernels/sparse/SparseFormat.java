package dev.sprig.kernels.sparse;

/**
 * The sparse weight formats and what each stores per kept weight. All describe an m x k matrix
 * (rows = outputs, columns = the reduction) so that one product definition covers all:
 * {@code C = W * X}.
 */
public enum SparseFormat {
    /** Compressed sparse rows: a float value and an int column per nonzero ({@link CsrMatrix}). */
    CSR("csr"),
    /** Block-CSR of 1x4 blocks: 4 consecutive reduction columns of one row per block ({@link BlockCsrMatrix}). */
    BLOCK_1X4("block1x4"),
    /** 2:4 compressed: 2 values and two 2-bit positions per group of 4 columns ({@link Compressed2to4Matrix}). */
    TWO_FOUR("2:4");

    private final String label;

    SparseFormat(String label) {
        this.label = label;
    }

    /** Short name used in reports and benchmark results: {@code csr}, {@code block1x4}, {@code 2:4}. */
    public String label() {
        return label;
    }
}
