package dev.sprig.core.ops.reduce;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;

/**
 * ONNX {@code CumSum}: running sums along the axis given by the scalar {@code axis} input;
 * {@code exclusive} leaves the current element out, {@code reverse} sums from the end. FLOAT
 * (float running sum) and INT32/INT64 (wrapping).
 */
final class CumSumOperator implements Operator {

    private final String name;
    private final boolean exclusive;
    private final boolean reverse;

    private CumSumOperator(Node node) {
        this.name = node.describe();
        this.exclusive = node.attrInt("exclusive", 0) != 0;
        this.reverse = node.attrInt("reverse", 0) != 0;
    }

    /** The factory. */
    static Operator create(Node node, int opset) {
        return new CumSumOperator(node);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        if (inputs.length < 2 || inputs[0] == null || inputs[1] == null) {
            throw new IllegalArgumentException(name + ": inputs x and axis are required");
        }
        Tensor x = inputs[0].contiguous();
        DType type = x.dtype();
        if (type != DType.FLOAT && type != DType.INT32 && type != DType.INT64) {
            throw new IllegalArgumentException(name + ": x must be FLOAT, INT32 or INT64, got " + type);
        }
        int rank = x.shape().rank();
        long axis = IntegerData.scalar(name, "axis", inputs[1]);
        if (axis < -rank || axis >= rank) {
            throw new IllegalArgumentException(name + ": axis " + axis + " is out of range for x " + x.shape());
        }
        int a = (int) (axis < 0 ? axis + rank : axis);
        int n = x.shape().dim(a);
        int outer = 1;
        for (int i = 0; i < a; i++) {
            outer *= x.shape().dim(i);
        }
        int inner = n == 0 || outer == 0 ? 0 : x.size() / outer / n;
        Tensor y = Tensor.zeros(type, x.shape());
        int off = x.offset();
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * n * inner + i;
                float fs = 0f;
                long ls = 0;
                for (int step = 0; step < n; step++) {
                    int k = reverse ? n - 1 - step : step;
                    int p = base + k * inner;
                    switch (type) {
                        case FLOAT -> {
                            float v = x.floatData()[off + p];
                            if (exclusive) {
                                y.floatData()[p] = fs;
                                fs += v;
                            } else {
                                fs += v;
                                y.floatData()[p] = fs;
                            }
                        }
                        case INT32 -> {
                            int v = x.intData()[off + p];
                            ls = exclusive ? ls : ls + v;
                            y.intData()[p] = (int) ls;
                            ls = exclusive ? ls + v : ls;
                        }
                        default -> {
                            long v = x.longData()[off + p];
                            ls = exclusive ? ls : ls + v;
                            y.longData()[p] = ls;
                            ls = exclusive ? ls + v : ls;
                        }
                    }
                }
            }
        }
        return new Tensor[]{y};
    }
}
