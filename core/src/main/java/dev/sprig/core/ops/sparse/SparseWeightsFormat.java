package dev.sprig.core.ops.sparse;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.kernels.sparse.BlockCsrMatrix;
import dev.sprig.kernels.sparse.Compressed2to4Matrix;
import dev.sprig.kernels.sparse.CsrMatrix;
import dev.sprig.kernels.sparse.SparseFormat;
import dev.sprig.kernels.sparse.SparseMatrix;
import java.util.Map;

/** The {@code format} attribute of the sparse operators and the conversion of a weight into it. */
public final class SparseWeightsFormat {

    /** Name of the attribute holding the format's label ({@link SparseFormat#label()}). */
    public static final String ATTRIBUTE = "format";

    private SparseWeightsFormat() {
    }

    /** The format named by the node's {@value #ATTRIBUTE} attribute. */
    static SparseFormat of(Node node) {
        String label = node.attrString(ATTRIBUTE, "");
        for (SparseFormat f : SparseFormat.values()) {
            if (f.label().equals(label)) {
                return f;
            }
        }
        throw new ModelException(node.describe() + ": attribute " + ATTRIBUTE
                + " must be csr, block1x4 or 2:4, got '" + label + "'");
    }

    /**
     * The sparse matrix of a row-major {@code rows x cols} weight, read as it lies or, with
     * {@code transposed}, as its transpose: a MatMul weight k x n (rows = k) stored as n x k.
     */
    static SparseMatrix build(Node node, SparseFormat format, float[] w, int off, int rows, int cols,
                              boolean transposed) {
        try {
            return switch (format) {
                case CSR -> transposed ? CsrMatrix.fromDenseTransposed(w, off, cols, rows, cols)
                        : CsrMatrix.fromDense(w, off, cols, rows, cols);
                case BLOCK_1X4 -> transposed ? BlockCsrMatrix.fromDenseTransposed(w, off, cols, rows, cols)
                        : BlockCsrMatrix.fromDense(w, off, cols, rows, cols);
                case TWO_FOUR -> transposed ? Compressed2to4Matrix.fromDenseTransposed(w, off, cols, rows, cols)
                        : Compressed2to4Matrix.fromDense(w, off, cols, rows, cols);
            };
        } catch (IllegalArgumentException e) {
            throw new ModelException(node.describe() + ": cannot store its weight as " + format.label() + ": "
                    + e.getMessage());
        }
    }

    /** The constant FLOAT input {@code input} of the node. */
    static Tensor constant(Node node, int input, Map<String, Tensor> constants) {
        Tensor t = node.hasInput(input) ? constants.get(node.inputs().get(input)) : null;
        if (t == null) {
            throw new ModelException(node.describe() + ": input " + input + " must be a constant");
        }
        if (t.dtype() != DType.FLOAT) {
            throw new ModelException(node.describe() + ": input " + input + " must be FLOAT, got " + t.dtype());
        }
        return t.contiguous();
    }
}
