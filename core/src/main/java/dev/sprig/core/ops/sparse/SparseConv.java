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
 * {@code dev.sprig:SparseConv(X, W[, B])}: an ONNX Conv whose kernel is 1 in every spatial axis,
 * with stride 1, no padding and one group (what the {@code SparseWeights} pass rewrites), W
 * [M, C, 1...] stored sparse as an M x C matrix in the format its {@code format} attribute names,
 * then the node's fused activation. Each image is {@code Y[M x P] = W[M x C] * X[C x P]} over its
 * P pixels ({@link Spmm#sparseTimesDense}, vectorised along the pixels), the bias per output
 * channel in the epilogue.
 */
public final class SparseConv implements Operator {

    /** The op's type in the {@code dev.sprig} domain. */
    public static final String OP_TYPE = "SparseConv";

    private final SparseMatrix w;
    private final Epilogue epilogue;

    private SparseConv(SparseMatrix w, Epilogue epilogue) {
        this.w = w;
        this.epilogue = epilogue;
    }

    /** The weights in the operator's format (M x C). */
    public SparseMatrix weights() {
        return w;
    }

    static OperatorFactory factory() {
        return OperatorFactory.requiringConstants((node, opset, constants) -> {
            Tensor wt = SparseWeightsFormat.constant(node, 1, constants);
            int[] d = wt.shape().dims();
            boolean pointwise = d.length >= 3;
            for (int i = 2; i < d.length; i++) {
                pointwise &= d[i] == 1;
            }
            if (!pointwise) {
                throw new ModelException(node.describe() + ": W must be [M, C, 1, ...] (a 1x1 kernel), got "
                        + wt.shape());
            }
            int m = d[0];
            int c = d[1];
            SparseMatrix sparse = SparseWeightsFormat.build(node, SparseWeightsFormat.of(node), wt.floatData(),
                    wt.offset(), m, c, false);
            Epilogue e = Epilogue.NONE;
            if (node.hasInput(2)) {
                Tensor bias = SparseWeightsFormat.constant(node, 2, constants);
                if (bias.size() != m) {
                    throw new ModelException(node.describe() + ": B must have " + m + " values, got " + bias.shape());
                }
                e = Epilogue.biasPerRow(Arrays.copyOfRange(bias.floatData(), bias.offset(), bias.offset() + m), 0);
            }
            return new SparseConv(sparse, FusedActivation.apply(node, e));
        });
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor x = inputs[0];
        int m = w.rows();
        int c = w.cols();
        if (x.dtype() != DType.FLOAT) {
            throw new IllegalArgumentException("X must be FLOAT, got " + x.dtype());
        }
        int[] dims = x.shape().dims();
        if (dims.length < 3 || dims[1] != c) {
            throw new IllegalArgumentException("X " + x.shape() + " must be [N, " + c + ", spatial...] for W with "
                    + c + " input channels");
        }
        int batch = dims[0];
        int pixels = 1;
        for (int i = 2; i < dims.length; i++) {
            pixels *= dims[i];
        }
        int[] outDims = dims.clone();
        outDims[1] = m;
        Tensor yt = context.zeros(DType.FLOAT, Shape.of(outDims));
        float[] y = yt.floatData();
        Tensor xc = x.contiguous();
        if (pixels > 0) {
            for (int b = 0; b < batch; b++) {
                Spmm.sparseTimesDense(w, xc.floatData(), xc.offset() + b * c * pixels, pixels, pixels,
                        y, b * m * pixels, pixels, epilogue, context.pool());
            }
        }
        return new Tensor[] {yt};
    }
}
