package dev.sprig.core.ops.shape;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;

/**
 * ONNX Shape: the input's dimensions as a 1-D INT64 tensor; from opset 15 only those in
 * [start, end) (negative counting from the rank, both clamped to [0, rank]; empty when start >= end).
 */
final class ShapeOf implements Operator {

    private final long start;
    private final Long end;

    private ShapeOf(long start, Long end) {
        this.start = start;
        this.end = end;
    }

    static Operator create(Node node, int opset) {
        if (opset < 15) {
            return new ShapeOf(0, null);
        }
        return new ShapeOf(node.attrInt("start", 0), node.hasAttribute("end") ? node.attrInt("end", 0) : null);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor x = Args.input(inputs, 0, "data");
        int rank = x.shape().rank();
        int from = clamp(start, rank);
        int to = end == null ? rank : clamp(end, rank);
        int n = Math.max(0, to - from);
        long[] dims = new long[n];
        for (int i = 0; i < n; i++) {
            dims[i] = x.shape().dim(from + i);
        }
        return new Tensor[]{Tensor.of(dims, n)};
    }

    private static int clamp(long v, int rank) {
        return (int) Math.clamp(v < 0 ? v + rank : v, 0, rank);
    }
}
