package dev.sprig.core.ops.fused;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import dev.sprig.core.ops.OperatorFactory;
import dev.sprig.kernels.gemm.Epilogue;
import dev.sprig.kernels.gemm.PackedMatrix;
import dev.sprig.kernels.gemm.Sgemm;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code dev.sprig:MatMulBias(A, B[, bias])}: ONNX MatMul of any-rank FLOAT A (its leading axes
 * are rows) by a constant 2-D B, plus an optional constant bias over the last axis, then an
 * optional fused activation — what {@code MatMulBiasFusion} makes of MatMul -> Add -> Relu in
 * transformer and MLP layers. B is packed for the GEMM microkernel once, when the session is
 * created; bias and activation are applied in the GEMM's epilogue while the tile is in
 * registers. Each output is the same chain of operations as MatMul then Add, so the fusion does
 * not change results.
 */
public final class MatMulBias implements Operator {

    /** The fused op's type in the {@code dev.sprig} domain. */
    public static final String OP_TYPE = "MatMulBias";

    private final PackedMatrix b;
    private final Epilogue epilogue;

    private MatMulBias(PackedMatrix b, Epilogue epilogue) {
        this.b = b;
        this.epilogue = epilogue;
    }

    /** The factory: B and the bias must be constants of the graph. */
    static OperatorFactory factory() {
        return OperatorFactory.requiringConstants((node, opset, constants) -> {
            Tensor w = constant(node, 1, constants);
            if (w.dtype() != DType.FLOAT || w.shape().rank() != 2) {
                throw new ModelException(node.describe() + ": B must be a 2-D FLOAT constant, got " + w.dtype()
                        + " " + w.shape());
            }
            int k = w.shape().dim(0);
            int n = w.shape().dim(1);
            Tensor wc = w.contiguous();
            PackedMatrix packed = PackedMatrix.pack(false, k, n, wc.floatData(), wc.offset(), n);
            Epilogue e = Epilogue.NONE;
            if (node.hasInput(2)) {
                Tensor bias = constant(node, 2, constants).contiguous();
                if (bias.dtype() != DType.FLOAT || bias.size() != n) {
                    throw new ModelException(node.describe() + ": bias must be FLOAT with " + n + " values, got "
                            + bias.dtype() + " " + bias.shape());
                }
                e = Epilogue.biasPerColumn(Arrays.copyOfRange(bias.floatData(), bias.offset(), bias.offset() + n), 0);
            }
            return new MatMulBias(packed, FusedActivation.apply(node, e));
        });
    }

    private static Tensor constant(Node node, int input, Map<String, Tensor> constants) {
        Tensor t = node.hasInput(input) ? constants.get(node.inputs().get(input)) : null;
        if (t == null) {
            throw new ModelException(node.describe() + ": input " + input + " must be a constant");
        }
        return t;
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor a = inputs[0];
        if (a.dtype() != DType.FLOAT) {
            throw new IllegalArgumentException("A must be FLOAT, got " + a.dtype());
        }
        int[] dims = a.shape().dims();
        if (dims.length == 0 || dims[dims.length - 1] != b.k()) {
            throw new IllegalArgumentException("A " + a.shape() + " must end in K = " + b.k() + " (B is " + b.k() + "x"
                    + b.n() + ")");
        }
        int rows = a.size() / b.k();
        int[] outDims = dims.clone();
        outDims[outDims.length - 1] = b.n();
        Tensor y = context.zeros(DType.FLOAT, Shape.of(outDims));
        Tensor ac = a.contiguous();
        Sgemm.sgemm(false, rows, 1f, ac.floatData(), ac.offset(), b.k(), b, 0f, y.floatData(), 0, b.n(), epilogue,
                context.pool());
        return new Tensor[] {y};
    }
}
