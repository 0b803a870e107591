package dev.sprig.core.ops.shape;

import dev.sprig.core.ModelException;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;

/**
 * ONNX Concat: inputs of equal rank and dtype joined along {@code axis} (default 1 in opset 1,
 * required from 4, negative from 11). Each input contributes, per index of the axes before
 * {@code axis}, one contiguous block of the output: one arraycopy each.
 */
final class Concat implements Operator {

    private final long axis;
    private final boolean negativeAllowed;

    private Concat(long axis, boolean negativeAllowed) {
        this.axis = axis;
        this.negativeAllowed = negativeAllowed;
    }

    static Operator create(Node node, int opset) {
        if (opset >= 4 && !node.hasAttribute("axis")) {
            throw new ModelException(node.describe() + ": required attribute 'axis' is missing");
        }
        return new Concat(node.attrInt("axis", 1), opset >= 11);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor first = Args.input(inputs, 0, "inputs");
        int rank = first.shape().rank();
        if (rank == 0) {
            throw new IllegalArgumentException("Concat needs inputs of rank >= 1, got a scalar");
        }
        int a = Args.axis(axis, rank, negativeAllowed, "Concat axis");
        int[] dims = first.shape().dims();
        long total = 0;
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = Args.input(inputs, i, "inputs");
            if (t.dtype() != first.dtype() || t.shape().rank() != rank) {
                throw new IllegalArgumentException("Concat input " + i + " is " + t.dtype() + " " + t.shape()
                        + ", input 0 is " + first.dtype() + " " + first.shape() + ": dtype and rank must match");
            }
            for (int d = 0; d < rank; d++) {
                if (d != a && t.shape().dim(d) != dims[d]) {
                    throw new IllegalArgumentException("Concat on axis " + a + ": input " + i + " " + t.shape()
                            + " differs from input 0 " + first.shape() + " on axis " + d);
                }
            }
            total += t.shape().dim(a);
        }
        dims[a] = Elements.toInt(total, "Concat output dimension");
        Tensor out = context.zeros(first.dtype(), Shape.of(dims));
        int outer = (int) Elements.product(dims, 0, a);
        int inner = (int) Elements.product(dims, a + 1, rank);
        int outRow = dims[a] * inner;
        Object dst = out.array();
        int at = 0;
        for (Tensor t : inputs) {
            Tensor c = StridedCopy.contiguous(t, context);
            int block = t.shape().dim(a) * inner;
            Object src = c.array();
            for (int o = 0; o < outer && block > 0; o++) {
                System.arraycopy(src, c.offset() + o * block, dst, o * outRow + at, block);
            }
            at += block;
        }
        return new Tensor[]{out};
    }
}
