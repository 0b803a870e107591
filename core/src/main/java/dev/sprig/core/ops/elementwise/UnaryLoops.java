package dev.sprig.core.ops.elementwise;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.ops.OutputAllocator;
import dev.sprig.core.ops.elementwise.ElementFunctions.FloatArrayMap;
import dev.sprig.core.ops.elementwise.ElementFunctions.FloatTest;
import dev.sprig.core.ops.Operator;
import java.util.Set;
import java.util.function.LongUnaryOperator;

/** Unary elementwise maps: new contiguous tensors of the input's shape. */
final class UnaryLoops {

    private UnaryLoops() {
    }

    /**
     * The operator applying {@code f} to FLOAT inputs and {@code g} (when not null) to integer
     * inputs, for an op whose one input {@code X} may have the {@code types}.
     */
    static Operator operator(String opType, int opset, Set<DType> types, FloatArrayMap f, LongUnaryOperator g) {
        return (in, ctx) -> {
            Tensor x = TypeRules.input(opType, opset, in, 0, "X", types);
            return new Tensor[]{x.dtype() == DType.FLOAT ? floats(x, f, ctx.allocator()) : longs(x, g)};
        };
    }

    /** {@code f} over a FLOAT tensor (a kernel or a per-element loop), FLOAT result from {@code allocator}. */
    static Tensor floats(Tensor x, FloatArrayMap f, OutputAllocator allocator) {
        Tensor c = x.contiguous();
        Tensor out = allocator.zeros(DType.FLOAT, c.shape());
        if (c.size() > 0) {
            f.apply(c.floatData(), c.offset(), out.floatData(), 0, c.size());
        }
        return out;
    }

    /** {@code f} over an integer tensor computed in long, narrowed back to the input's type. */
    static Tensor longs(Tensor x, LongUnaryOperator f) {
        long[] v = Values.longs(x);
        long[] r = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = f.applyAsLong(v[i]);
        }
        return Values.fromLongs(r, x.dtype(), x.shape());
    }

    /** {@code p} over a FLOAT tensor, BOOL result. */
    static Tensor test(Tensor x, FloatTest p) {
        Tensor c = x.contiguous();
        float[] d = c.floatData();
        Tensor out = Tensor.zeros(DType.BOOL, c.shape());
        boolean[] z = out.booleanData();
        for (int i = 0; i < z.length; i++) {
            z[i] = p.test(d[c.offset() + i]);
        }
        return out;
    }
}
