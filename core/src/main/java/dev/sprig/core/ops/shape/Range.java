package dev.sprig.core.ops.shape;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;

/**
 * ONNX Range (opset 11): {@code start, start + delta, ...} while below {@code limit} (above, for a
 * negative delta): {@code max(ceil((limit - start) / delta), 0)} elements, element i being
 * {@code start + i * delta}. Scalars of one dtype: FLOAT, INT32 or INT64.
 */
final class Range implements Operator {

    static Operator create(Node node, int opset) {
        return new Range();
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor start = Args.input(inputs, 0, "start");
        Tensor limit = Args.input(inputs, 1, "limit");
        Tensor delta = Args.input(inputs, 2, "delta");
        DType t = start.dtype();
        if (limit.dtype() != t || delta.dtype() != t || (t != DType.FLOAT && t != DType.INT32 && t != DType.INT64)) {
            throw new IllegalArgumentException("Range needs start, limit and delta of one dtype, FLOAT, INT32 or INT64, got "
                    + t + ", " + limit.dtype() + ", " + delta.dtype());
        }
        if (t == DType.FLOAT) {
            double s = Elements.scalarValue(start, "Range start");
            double l = Elements.scalarValue(limit, "Range limit");
            double d = Elements.scalarValue(delta, "Range delta");
            if (d == 0) {
                throw new IllegalArgumentException("Range delta is 0");
            }
            int n = count(Math.ceil((l - s) / d));
            // float arithmetic per element, as start + i * delta in the inputs' precision
            float fs = (float) s;
            float fd = (float) d;
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = fs + i * fd;
            }
            return new Tensor[]{Tensor.of(out, n)};
        }
        requireOne(start, "start");
        requireOne(limit, "limit");
        requireOne(delta, "delta");
        long s = Elements.longs(start, "Range start")[0];
        long l = Elements.longs(limit, "Range limit")[0];
        long d = Elements.longs(delta, "Range delta")[0];
        if (d == 0) {
            throw new IllegalArgumentException("Range delta is 0");
        }
        int n = count(Math.ceilDiv(l - s, d));
        Tensor out = Tensor.zeros(t, Shape.of(n));
        for (int i = 0; i < n; i++) {
            long v = s + i * d;
            if (t == DType.INT64) {
                out.longData()[i] = v;
            } else {
                out.intData()[i] = (int) v;
            }
        }
        return new Tensor[]{out};
    }

    private static void requireOne(Tensor t, String what) {
        if (t.size() != 1) {
            throw new IllegalArgumentException("Range " + what + " must be a scalar, got shape " + t.shape());
        }
    }

    private static int count(double n) {
        if (n > Shape.MAX_ELEMENTS) {
            throw new IllegalArgumentException("Range would have " + (long) n + " elements, more than an array holds");
        }
        return (int) Math.max(n, 0);
    }
}
