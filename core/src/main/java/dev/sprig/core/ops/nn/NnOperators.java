package dev.sprig.core.ops.nn;

import dev.sprig.core.ops.OperatorRegistry;
import dev.sprig.core.ops.fused.FusedOperators;

/**
 * The neural-network operators of ai.onnx: convolutions, GEMM and MatMul, normalisations, pools,
 * softmax and Einsum. Each op is registered at the opset versions where its attributes or
 * semantics changed (ONNX docs/Changelog.md); versions that only widened the type list share the
 * factory of the version before. One factory reads every attribute that exists in any of its
 * versions (an older model simply does not carry the newer ones).
 */
public final class NnOperators {

    private NnOperators() {
    }

    /** Registers every op of the family on {@code r}. */
    public static void register(OperatorRegistry r) {
        // Conv-11 and ConvTranspose-11 only clarified defaults and auto_pad
        for (int since : new int[]{1, 11}) {
            r.register("Conv", since, ConvOperator.factory());
            r.register("ConvTranspose", since, ConvTransposeOperator::create);
        }
        // a Conv or Gemm with the Relu or Clip after it in its epilogue (passes.EpilogueActivationFusion)
        r.register(FusedOperators.DOMAIN, FusedOperators.FUSED_CONV, FusedOperators.VERSION, ConvOperator.factory());
        r.register(FusedOperators.DOMAIN, FusedOperators.FUSED_GEMM, FusedOperators.VERSION, GemmOperator.factory());
        // Gemm-7 dropped the broadcast attribute (C always broadcasts), Gemm-11 made C optional
        for (int since : new int[]{1, 7, 11}) {
            r.register("Gemm", since, GemmOperator.factory());
        }
        r.register("MatMul", 1, (node, opset) -> new MatMulOperator(node.describe()));
        // 7 dropped is_test, 9 dropped spatial, 14 added training_mode, 15 split the types of the statistics
        for (int since : new int[]{7, 9, 14, 15}) {
            r.register("BatchNormalization", since, BatchNormOperator::create);
        }
        r.register("InstanceNormalization", 1, InstanceNormOperator::create);
        r.register("LayerNormalization", 17, LayerNormOperator::create);
        r.register("LRN", 1, LrnOperator::create);
        // MaxPool: 8 Indices and storage_order, 10 ceil_mode and dilations, 12 int8/uint8
        for (int since : new int[]{1, 8, 10, 12}) {
            r.register("MaxPool", since, PoolOperator::maxPool);
        }
        // AveragePool: 7 count_include_pad, 10 ceil_mode, 19 dilations
        for (int since : new int[]{1, 7, 10, 19}) {
            r.register("AveragePool", since, PoolOperator::averagePool);
        }
        r.register("GlobalAveragePool", 1, (node, opset) -> new GlobalPoolOperator(node.describe(), false));
        r.register("GlobalMaxPool", 1, (node, opset) -> new GlobalPoolOperator(node.describe(), true));
        // before 13 the input is coerced to 2-D at axis; from 13 the op runs along one axis
        for (int since : new int[]{1, 13}) {
            r.register("Softmax", since, SoftmaxOperator::softmax);
            r.register("LogSoftmax", since, SoftmaxOperator::logSoftmax);
        }
        r.register("Einsum", 12, EinsumOperator::create);
    }
}
