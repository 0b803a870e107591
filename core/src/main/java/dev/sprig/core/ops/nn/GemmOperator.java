package dev.sprig.core.ops.nn;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import dev.sprig.core.ops.OperatorFactory;
import dev.sprig.core.ops.fused.FusedActivation;
import dev.sprig.core.ops.fused.FusedOperators;
import dev.sprig.kernels.gemm.Epilogue;
import dev.sprig.kernels.gemm.PackedMatrix;
import dev.sprig.kernels.gemm.Sgemm;

/**
 * ONNX {@code Gemm}: {@code Y = alpha * op(A) * op(B) + beta * C} on FLOAT matrices, with
 * {@code op} a transpose when {@code transA}/{@code transB} is set and C (optional from opset 11)
 * broadcast unidirectionally to {@code M x N}. A C that is one row ({@code N} or {@code 1 x N}) or
 * one column ({@code M x 1}) with beta 1 is added in the GEMM's store as a bias; any other C is
 * written into Y first and scaled by beta inside {@link Sgemm}. The pre-opset-7 {@code broadcast}
 * attribute is ignored (broadcasting is always allowed). A constant B (a layer's weights) is packed
 * for the microkernel once, when the session is created, instead of on every run. The same class
 * runs {@code dev.sprig:FusedGemm}, a Gemm whose following Relu or Clip a pass moved into the
 * epilogue.
 */
final class GemmOperator implements Operator {

    private final String name;
    private final float alpha;
    private final float beta;
    private final boolean transA;
    private final boolean transB;
    /** B packed at creation when it is a constant, else null. */
    private final PackedMatrix packedB;
    /** The node, for the activation a fusion pass put on a {@code dev.sprig:FusedGemm}. */
    private final Node fused;

    private GemmOperator(Node node, PackedMatrix packedB) {
        this.packedB = packedB;
        this.fused = node.domain().equals(FusedOperators.DOMAIN) ? node : null;
        this.name = node.describe();
        this.alpha = node.attrFloat("alpha", 1f);
        this.beta = node.attrFloat("beta", 1f);
        this.transA = node.attrInt("transA", 0) != 0;
        this.transB = node.attrInt("transB", 0) != 0;
    }

    /** The factory: reads the attributes at load, and packs a constant B. */
    static OperatorFactory factory() {
        return OperatorFactory.preparing((node, opset, constants) -> {
            if (opset < 11 && !node.hasInput(2)) {
                throw new ModelException(node.describe() + ": input C is required before opset 11 (the model"
                        + " imports " + opset + ")");
            }
            Tensor b = node.hasInput(1) ? constants.get(node.inputs().get(1)) : null;
            PackedMatrix packed = null;
            if (b != null && b.dtype() == DType.FLOAT && b.shape().rank() == 2) {
                boolean tb = node.attrInt("transB", 0) != 0;
                Tensor bc = b.contiguous();
                int k = tb ? b.shape().dim(1) : b.shape().dim(0);
                int n = tb ? b.shape().dim(0) : b.shape().dim(1);
                packed = PackedMatrix.pack(tb, k, n, bc.floatData(), bc.offset(), b.shape().dim(1));
            }
            return new GemmOperator(node, packed);
        });
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor a = NnInputs.floatInput(name, "A", inputs, 0).contiguous();
        Tensor b = NnInputs.floatInput(name, "B", inputs, 1).contiguous();
        Tensor c = NnInputs.optionalFloat(name, "C", inputs, 2);
        if (a.shape().rank() != 2 || b.shape().rank() != 2) {
            throw new IllegalArgumentException(name + ": A and B must be matrices, got " + a.shape() + " and "
                    + b.shape());
        }
        int m = transA ? a.shape().dim(1) : a.shape().dim(0);
        int k = transA ? a.shape().dim(0) : a.shape().dim(1);
        int kb = transB ? b.shape().dim(1) : b.shape().dim(0);
        int n = transB ? b.shape().dim(0) : b.shape().dim(1);
        if (k != kb) {
            throw new IllegalArgumentException(name + ": inner dimensions differ: op(A) is " + m + "x" + k
                    + ", op(B) is " + kb + "x" + n + " (transA=" + transA + ", transB=" + transB + ")");
        }
        Tensor y = context.zeros(DType.FLOAT, Shape.of(m, n));
        float[] yd = y.floatData();
        Epilogue epilogue = Epilogue.NONE;
        float cBeta = 0f;
        if (c != null && beta != 0f) {
            c = c.contiguous();
            int cr = c.shape().alignedDim(0, 2);
            int cc = c.shape().alignedDim(1, 2);
            if (c.shape().rank() > 2 || (cr != 1 && cr != m) || (cc != 1 && cc != n)) {
                throw new IllegalArgumentException(name + ": C " + c.shape() + " does not broadcast to the "
                        + m + "x" + n + " output");
            }
            if (beta == 1f && cr == 1 && cc == n) {
                epilogue = Epilogue.biasPerColumn(c.floatData(), c.offset());
            } else if (beta == 1f && cc == 1 && cr == m) {
                epilogue = Epilogue.biasPerRow(c.floatData(), c.offset());
            } else {
                float[] cd = c.floatData();
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        yd[i * n + j] = cd[c.offset() + (cr == 1 ? 0 : i) * cc + (cc == 1 ? 0 : j)];
                    }
                }
                cBeta = beta;
            }
        }
        if (fused != null) {
            epilogue = FusedActivation.apply(fused, epilogue);
        }
        if (packedB != null) {
            Sgemm.sgemm(transA, m, alpha, a.floatData(), a.offset(), a.shape().dim(1), packedB, cBeta, yd, 0, n,
                    epilogue, context.pool());
        } else {
            Sgemm.sgemm(transA, transB, m, n, k, alpha, a.floatData(), a.offset(), a.shape().dim(1),
                    b.floatData(), b.offset(), b.shape().dim(1), cBeta, yd, 0, n, epilogue, context.pool());
        }
        return new Tensor[]{y};
    }
}
