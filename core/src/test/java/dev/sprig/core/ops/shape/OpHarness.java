package dev.sprig.core.ops.shape;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Attribute;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.OperatorRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Builds single-node operators of the shape family and random tensors for the tests. */
final class OpHarness {

    static final OperatorRegistry REGISTRY = new OperatorRegistry();

    static {
        ShapeOperators.register(REGISTRY);
    }

    private OpHarness() {
    }

    /** Runs {@code opType} at {@code opset} with the given attributes on the inputs (null = omitted). */
    static Tensor[] run(String opType, int opset, int outputs, List<Attribute> attrs, Tensor... inputs) {
        return run(opType, opset, outputs, attrs, OpContext.SERIAL, inputs);
    }

    static Tensor[] run(String opType, int opset, int outputs, List<Attribute> attrs, OpContext ctx,
                        Tensor... inputs) {
        return REGISTRY.create(node(opType, inputs.length, outputs, attrs), opset).run(inputs, ctx);
    }

    /** One output. */
    static Tensor run1(String opType, int opset, List<Attribute> attrs, Tensor... inputs) {
        return run(opType, opset, 1, attrs, inputs)[0];
    }

    static Node node(String opType, int inputs, int outputs, List<Attribute> attrs) {
        List<String> in = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            in.add("in" + i);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            out.add("out" + i);
        }
        Map<String, Attribute> a = new LinkedHashMap<>();
        for (Attribute at : attrs) {
            a.put(at.name(), at);
        }
        return new Node("n", opType, "", in, out, a);
    }

    static Tensor longs(long... v) {
        return Tensor.of(v, v.length);
    }

    /** A random tensor of any dtype with distinct-ish values (BOOL random). */
    static Tensor random(DType dtype, int[] dims, Random r) {
        Tensor t = Tensor.zeros(dtype, Shape.of(dims));
        Object a = t.array();
        for (int i = 0; i < t.size(); i++) {
            switch (a) {
                case float[] f -> f[i] = r.nextInt(2001) - 1000 + r.nextFloat();
                case byte[] b -> b[i] = (byte) r.nextInt(256);
                case int[] n -> n[i] = r.nextInt();
                case long[] l -> l[i] = r.nextLong();
                case boolean[] z -> z[i] = r.nextBoolean();
                default -> throw new IllegalStateException();
            }
        }
        return t;
    }

    static int[] randomDims(Random r, int rank, int maxDim) {
        int[] d = new int[rank];
        for (int i = 0; i < rank; i++) {
            int pick = r.nextInt(10);
            d[i] = pick == 0 ? 1 : pick == 1 && r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(maxDim);
        }
        return d;
    }

    /** Asserts same dtype, shape and bitwise equal elements (read through strides). */
    static void assertSame(Tensor expected, Tensor actual, String what) {
        if (expected.dtype() != actual.dtype() || !expected.shape().equals(actual.shape())) {
            throw new AssertionError(what + ": expected " + expected.dtype() + " " + expected.shape() + ", got "
                    + actual.dtype() + " " + actual.shape());
        }
        int[] idx = new int[expected.shape().rank()];
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.getDouble(idx);
            double a = actual.getDouble(idx);
            if (Double.doubleToLongBits(e) != Double.doubleToLongBits(a)
                    || (expected.dtype() == DType.INT64 && expected.getLong(idx) != actual.getLong(idx))) {
                throw new AssertionError(what + ": at " + Arrays.toString(idx) + " expected " + e + ", got " + a);
            }
            next(idx, expected.shape().dims());
        }
    }

    /** Odometer increment of a multi-index over dims; false after the last. */
    static boolean next(int[] idx, int[] dims) {
        for (int a = idx.length - 1; a >= 0; a--) {
            if (++idx[a] < dims[a]) {
                return true;
            }
            idx[a] = 0;
        }
        return false;
    }

    /**
     * Copies element {@code from} of {@code src} to {@code to} of {@code dst} (contiguous, same
     * dtype): the references below build their expected tensors element by element with it.
     */
    static void set(Tensor dst, int[] to, Tensor src, int[] from) {
        int p = 0;
        int[] st = dst.strides();
        for (int i = 0; i < to.length; i++) {
            p += to[i] * st[i];
        }
        int q = src.offset();
        int[] ss = src.strides();
        for (int i = 0; i < from.length; i++) {
            q += from[i] * ss[i];
        }
        System.arraycopy(src.array(), q, dst.array(), p, 1);
    }

    static final DType[] DTYPES = DType.values();
}
