package dev.sprig.core.ops.quant;

import dev.sprig.core.ops.OperatorRegistry;
import dev.sprig.core.ops.fused.FusedOperators;

/**
 * The quantized operators: ONNX's QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear,
 * QLinearConv, QLinearMatMul, ConvInteger and MatMulInteger over UINT8/INT8 tensors, and the ONNX
 * Runtime contrib ops of domain {@code com.microsoft} that quantized models use (QLinearAdd,
 * QLinearMul). Integer products are exact (int32); requantization rounds half to even and
 * saturates, as the ONNX spec says. Each op is registered at the opset versions where its
 * attributes or semantics changed (ONNX docs/Changelog.md); versions that only widened the types
 * share the factory of the version before.
 */
public final class QuantOperators {

    /** The domain of ONNX Runtime's contrib operators. */
    public static final String MICROSOFT = "com.microsoft";

    private QuantOperators() {
    }

    /** Registers every op of the family on {@code r}. */
    public static void register(OperatorRegistry r) {
        // 13 per-axis scales, 19 saturate (float8), 21 blocked scales and output_dtype, 23 precision;
        // 24 and 25 only added element types
        for (int since : new int[]{10, 13, 19, 21, 23, 24, 25}) {
            r.register("QuantizeLinear", since, QuantizeLinearOperator::create);
            r.register("DequantizeLinear", since, DequantizeLinearOperator::create);
        }
        r.register("DynamicQuantizeLinear", 11, (node, opset) -> new DynamicQuantizeLinearOperator(node.describe()));
        // QLinearMatMul-21 only widened the scale types
        for (int since : new int[]{10, 21}) {
            r.register("QLinearMatMul", since, QLinearMatMulOperator.factory());
        }
        r.register("MatMulInteger", 10, MatMulIntegerOperator.factory());
        r.register("QLinearConv", 10, QLinearConvOperator.factory());
        // QLinearConv with a ReLU clamp, made by passes.QdqFusion from DQ -> Conv -> Relu -> Q
        r.register(FusedOperators.DOMAIN, FusedOperators.QLINEAR_CONV, FusedOperators.VERSION,
                QLinearConvOperator.factory());
        r.register("ConvInteger", 10, ConvIntegerOperator.factory());
        r.register(MICROSOFT, "QLinearAdd", 1,
                (node, opset) -> new QLinearBinaryOperator(node.describe(), QLinearBinaryOperator.Kind.ADD));
        r.register(MICROSOFT, "QLinearMul", 1,
                (node, opset) -> new QLinearBinaryOperator(node.describe(), QLinearBinaryOperator.Kind.MUL));
    }
}
