package dev.sprig.core.ops.sparse;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import dev.sprig.core.ops.OperatorFactory;
import dev.sprig.core.ops.fused.FusedActivation;
import dev.sprig.kernels.gemm.Epilogue;
import dev.sprig.kernels.sparse.SparseMatrix;
import dev.sprig.kernels.sparse.Spmm;
import java.util.Arrays;

/**
 * {@code dev.sprig:SparseMatMul(A, B[, bias])}: {@code dev.sprig:MatMulBias} (ONNX MatMul of
 * any-rank FLOAT A, leading axes as rows, by a constant 2-D B, plus an optional constant bias over
 * the last axis, then the node's fused activation) with B stored sparse in the format its
 * {@code format} attribute names. B (k x n) is converted once, at session creation, to its
 * transpose n x k in that format, so every output feature is a sparse dot product with a row of A
 * ({@link Spmm#denseTimesSparseTransposed}). Equals MatMulBias on the same weights within float
 * rounding (the summation order differs).
 */
public final class SparseMatMul implements Operator {

    /** The op's type in the {@code dev.sprig} domain. */
    public static final String OP_TYPE = "SparseMatMul";

    private final SparseMatrix bt;
    private final Epilogue epilogue;

    private SparseMatMul(SparseMatrix bt, Epilogue epilogue) {
        this.bt = bt;
        this.epilogue = epilogue;
    }

    /** The weights in the operator's format (n x k, the transpose of B). */
    public SparseMatrix weights() {
        return bt;
    }

    static OperatorFactory factory() {
        return OperatorFactory.requiringConstants((node, opset, constants) -> {
            Tensor w = SparseWeightsFormat.constant(node, 1, constants);
            if (w.shape().rank() != 2) {
                throw new ModelException(node.describe() + ": B must be a 2-D constant, got " + w.shape());
            }
            int k = w.shape().dim(0);
            int n = w.shape().dim(1);
            SparseMatrix bt = SparseWeightsFormat.build(node, SparseWeightsFormat.of(node), w.floatData(),
                    w.offset(), k, n, true);
            Epilogue e = Epilogue.NONE;
            if (node.hasInput(2)) {
                Tensor bias = SparseWeightsFormat.constant(node, 2, constants);
                if (bias.size() != n) {
                    throw new ModelException(node.describe() + ": bias must have " + n + " values, got "
                            + bias.shape());
                }
                e = Epilogue.biasPerColumn(Arrays.copyOfRange(bias.floatData(), bias.offset(), bias.offset() + n), 0);
            }
            return new SparseMatMul(bt, FusedActivation.apply(node, e));
        });
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor a = inputs[0];
        int k = bt.cols();
        int n = bt.rows();
        if (a.dtype() != DType.FLOAT) {
            throw new IllegalArgumentException("A must be FLOAT, got " + a.dtype());
        }
        int[] dims = a.shape().dims();
        if (dims.length == 0 || dims[dims.length - 1] != k) {
            throw new IllegalArgumentException("A " + a.shape() + " must end in K = " + k + " (B is " + k + "x" + n + ")");
        }
        int rows = a.size() / Math.max(1, k);
        if (k == 0) {
            rows = a.size() == 0 ? 0 : 1;
            for (int i = 0; i < dims.length - 1; i++) {
                rows *= dims[i];
            }
        }
        int[] outDims = dims.clone();
        outDims[outDims.length - 1] = n;
        Tensor y = context.zeros(DType.FLOAT, Shape.of(outDims));
        Tensor ac = a.contiguous();
        Spmm.denseTimesSparseTransposed(ac.floatData(), ac.offset(), Math.max(1, k), rows, bt, y.floatData(), 0,
                Math.max(1, n), epilogue, context.pool());
        return new Tensor[] {y};
    }
}
