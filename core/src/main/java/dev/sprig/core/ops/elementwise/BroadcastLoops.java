package dev.sprig.core.ops.elementwise;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.ops.elementwise.ElementFunctions.BooleanBinary;
import dev.sprig.core.ops.elementwise.ElementFunctions.FloatBinary;
import dev.sprig.core.ops.elementwise.ElementFunctions.FloatComparison;
import dev.sprig.core.ops.elementwise.ElementFunctions.LongComparison;
import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * Binary elementwise functions over two broadcast operands, one typed inner loop per storage
 * type; the index walk is {@link Broadcast}'s. Integer types go through {@code long}
 * ({@link Values}). Each returns a new contiguous tensor of the broadcast shape.
 */
final class BroadcastLoops {

    private BroadcastLoops() {
    }

    /** {@code f(a, b)} of two FLOAT tensors, FLOAT result. */
    static Tensor floats(Tensor a, Tensor b, FloatBinary f) {
        Broadcast bc = Broadcast.of(a.shape(), b.shape());
        Tensor ac = a.contiguous();
        Tensor bcn = b.contiguous();
        float[] x = ac.floatData();
        float[] y = bcn.floatData();
        int xBase = ac.offset();
        int yBase = bcn.offset();
        int xs = bc.step(0);
        int ys = bc.step(1);
        Tensor out = Tensor.zeros(DType.FLOAT, bc.shape());
        float[] z = out.floatData();
        bc.forEachRun((o, offs, n) -> {
            int xo = xBase + offs[0];
            int yo = yBase + offs[1];
            for (int i = 0; i < n; i++) {
                z[o + i] = f.apply(x[xo + i * xs], y[yo + i * ys]);
            }
        });
        return out;
    }

    /** {@code f(a, b)} of two integer (or BOOL) tensors computed in long, narrowed to {@code outType}. */
    static Tensor longs(Tensor a, Tensor b, LongBinaryOperator f, DType outType) {
        Broadcast bc = Broadcast.of(a.shape(), b.shape());
        long[] x = Values.longs(a);
        long[] y = Values.longs(b);
        int xs = bc.step(0);
        int ys = bc.step(1);
        long[] z = new long[bc.shape().size()];
        bc.forEachRun((o, offs, n) -> {
            int xo = offs[0];
            int yo = offs[1];
            for (int i = 0; i < n; i++) {
                z[o + i] = f.applyAsLong(x[xo + i * xs], y[yo + i * ys]);
            }
        });
        return Values.fromLongs(z, outType, bc.shape());
    }

    /** {@code f(a, b)} of two tensors of any numeric types computed in double, converted to {@code outType}. */
    static Tensor doubles(Tensor a, Tensor b, DoubleBinaryOperator f, DType outType) {
        Broadcast bc = Broadcast.of(a.shape(), b.shape());
        double[] x = Values.doubles(a);
        double[] y = Values.doubles(b);
        int xs = bc.step(0);
        int ys = bc.step(1);
        double[] z = new double[bc.shape().size()];
        bc.forEachRun((o, offs, n) -> {
            int xo = offs[0];
            int yo = offs[1];
            for (int i = 0; i < n; i++) {
                z[o + i] = f.applyAsDouble(x[xo + i * xs], y[yo + i * ys]);
            }
        });
        return Values.fromDoubles(z, outType, bc.shape());
    }

    /** {@code p(a, b)} of two FLOAT tensors, BOOL result. */
    static Tensor compareFloats(Tensor a, Tensor b, FloatComparison p) {
        Broadcast bc = Broadcast.of(a.shape(), b.shape());
        Tensor ac = a.contiguous();
        Tensor bcn = b.contiguous();
        float[] x = ac.floatData();
        float[] y = bcn.floatData();
        int xBase = ac.offset();
        int yBase = bcn.offset();
        int xs = bc.step(0);
        int ys = bc.step(1);
        Tensor out = Tensor.zeros(DType.BOOL, bc.shape());
        boolean[] z = out.booleanData();
        bc.forEachRun((o, offs, n) -> {
            int xo = xBase + offs[0];
            int yo = yBase + offs[1];
            for (int i = 0; i < n; i++) {
                z[o + i] = p.test(x[xo + i * xs], y[yo + i * ys]);
            }
        });
        return out;
    }

    /** {@code p(a, b)} of two integer (or BOOL) tensors compared as longs, BOOL result. */
    static Tensor compareLongs(Tensor a, Tensor b, LongComparison p) {
        Broadcast bc = Broadcast.of(a.shape(), b.shape());
        long[] x = Values.longs(a);
        long[] y = Values.longs(b);
        int xs = bc.step(0);
        int ys = bc.step(1);
        Tensor out = Tensor.zeros(DType.BOOL, bc.shape());
        boolean[] z = out.booleanData();
        bc.forEachRun((o, offs, n) -> {
            int xo = offs[0];
            int yo = offs[1];
            for (int i = 0; i < n; i++) {
                z[o + i] = p.test(x[xo + i * xs], y[yo + i * ys]);
            }
        });
        return out;
    }

    /** {@code f(a, b)} of two BOOL tensors, BOOL result. */
    static Tensor booleans(Tensor a, Tensor b, BooleanBinary f) {
        Broadcast bc = Broadcast.of(a.shape(), b.shape());
        Tensor ac = a.contiguous();
        Tensor bcn = b.contiguous();
        boolean[] x = ac.booleanData();
        boolean[] y = bcn.booleanData();
        int xBase = ac.offset();
        int yBase = bcn.offset();
        int xs = bc.step(0);
        int ys = bc.step(1);
        Tensor out = Tensor.zeros(DType.BOOL, bc.shape());
        boolean[] z = out.booleanData();
        bc.forEachRun((o, offs, n) -> {
            int xo = xBase + offs[0];
            int yo = yBase + offs[1];
            for (int i = 0; i < n; i++) {
                z[o + i] = f.apply(x[xo + i * xs], y[yo + i * ys]);
            }
        });
        return out;
    }
}
