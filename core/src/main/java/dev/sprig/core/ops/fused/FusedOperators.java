package dev.sprig.core.ops.fused;

import dev.sprig.core.ops.OperatorRegistry;

/**
 * Sprig's own operators, domain {@value #DOMAIN} version 1: the fused forms the graph passes
 * create. They never appear in an ONNX file.
 */
public final class FusedOperators {

    /** The domain of Sprig's fused operators. */
    public static final String DOMAIN = "dev.sprig";
    /** Its one version. */
    public static final int VERSION = 1;
    /**
     * A Conv with its following Relu or Clip in the epilogue; the nn family registers it (it is
     * its Conv operator, reading the activation from the node).
     */
    public static final String FUSED_CONV = "FusedConv";
    /** A Gemm with its following Relu or Clip in the epilogue; registered by the nn family likewise. */
    public static final String FUSED_GEMM = "FusedGemm";
    /** QLinearConv with a ReLU clamp in the requantization; registered by the quant family. */
    public static final String QLINEAR_CONV = "QLinearConv";

    private FusedOperators() {
    }

    /** Registers the fused operators. */
    public static void register(OperatorRegistry r) {
        r.register(DOMAIN, MatMulBias.OP_TYPE, VERSION, MatMulBias.factory());
    }
}
