package dev.sprig.core.ops.sparse;

import dev.sprig.core.ops.OperatorRegistry;
import dev.sprig.core.ops.fused.FusedOperators;

/**
 * Sprig's sparse-weight operators, in the {@code dev.sprig} domain (version 1), created by the
 * {@code SparseWeights} pass from layers whose constant weights are sparse enough to run faster on
 * a sparse kernel: {@link SparseMatMul} (MatMul / MatMulBias) and {@link SparseConv} (1x1 Conv).
 * Each carries the chosen format in its {@code format} attribute and any fused activation.
 */
public final class SparseOperators {

    private SparseOperators() {
    }

    /** Registers the sparse operators. */
    public static void register(OperatorRegistry r) {
        r.register(FusedOperators.DOMAIN, SparseMatMul.OP_TYPE, FusedOperators.VERSION, SparseMatMul.factory());
        r.register(FusedOperators.DOMAIN, SparseConv.OP_TYPE, FusedOperators.VERSION, SparseConv.factory());
    }
}
