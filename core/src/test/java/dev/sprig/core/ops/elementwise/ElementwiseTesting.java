package dev.sprig.core.ops.elementwise;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Attribute;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.OperatorRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Test support for the elementwise operators: running one node through the standard registry,
 * random broadcastable shapes (scalars, size-0 and size-1 axes, strided views) and random data,
 * and the readable broadcasting reference: an output multi-index mapped to each operand's
 * element by reading broadcast axes at index 0.
 */
final class ElementwiseTesting {

    private ElementwiseTesting() {
    }

    /** Output 0 of an {@code opType} node at {@code opset} with the given attributes. */
    static Tensor run(String opType, int opset, List<Attribute> attributes, Tensor... inputs) {
        return runAll(opType, opset, attributes, inputs)[0];
    }

    static Tensor run(String opType, int opset, Tensor... inputs) {
        return run(opType, opset, List.of(), inputs);
    }

    static Tensor[] runAll(String opType, int opset, List<Attribute> attributes, Tensor... inputs) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            names.add(inputs[i] == null ? "" : "in" + i);
        }
        Node node = Node.of("n", opType, names, List.of("out"));
        for (Attribute a : attributes) {
            node = node.withAttribute(a);
        }
        return OperatorRegistry.standard().create(node, opset).run(inputs, OpContext.SERIAL);
    }

    /**
     * Dimensions of {@code operands} tensors that broadcast together: an output shape of rank
     * 0..4 with dimensions 0 (rarely), 1 and up to 7, and each operand a suffix of it with some
     * axes set to 1.
     */
    static int[][] broadcastShapes(SplittableRandom r, int operands) {
        int rank = r.nextInt(5);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int k = r.nextInt(12);
            out[i] = k == 0 ? 0 : k < 3 ? 1 : 2 + r.nextInt(6);
        }
        int[][] dims = new int[operands][];
        for (int k = 0; k < operands; k++) {
            int own = rank == 0 ? 0 : r.nextInt(rank + 1);
            dims[k] = new int[own];
            for (int i = 0; i < own; i++) {
                dims[k][i] = r.nextInt(3) == 0 ? 1 : out[rank - own + i];
            }
        }
        // keep the output shape reachable: one operand carries every axis
        dims[r.nextInt(operands)] = out.clone();
        return dims;
    }

    /** A random tensor of {@code type}; rank-2 FLOAT tensors are sometimes a transposed (strided) view. */
    static Tensor random(DType type, int[] dims, SplittableRandom r) {
        int n = Shape.of(dims).size();
        if (type == DType.FLOAT && dims.length == 2 && r.nextBoolean()) {
            Tensor t = Tensor.zeros(DType.FLOAT, Shape.of(dims[1], dims[0]));
            fillFloats(t.floatData(), r);
            return t.permute(1, 0);
        }
        Tensor t = Tensor.zeros(type, Shape.of(dims));
        switch (type) {
            case FLOAT -> fillFloats(t.floatData(), r);
            case INT32 -> {
                int[] d = t.intData();
                for (int i = 0; i < n; i++) {
                    d[i] = r.nextBoolean() ? r.nextInt(-20, 21) : r.nextInt();
                }
            }
            case INT64 -> {
                long[] d = t.longData();
                for (int i = 0; i < n; i++) {
                    d[i] = r.nextBoolean() ? r.nextInt(-20, 21) : r.nextLong();
                }
            }
            case INT8, UINT8 -> {
                byte[] d = t.byteData();
                for (int i = 0; i < n; i++) {
                    d[i] = (byte) r.nextInt(256);
                }
            }
            case BOOL -> {
                boolean[] d = t.booleanData();
                for (int i = 0; i < n; i++) {
                    d[i] = r.nextBoolean();
                }
            }
        }
        return t;
    }

    private static void fillFloats(float[] d, SplittableRandom r) {
        for (int i = 0; i < d.length; i++) {
            int k = r.nextInt(20);
            d[i] = switch (k) {
                case 0 -> 0f;
                case 1 -> -0f;
                case 2 -> (float) r.nextInt(-4, 5) + 0.5f; // exact halves, for Round
                case 3 -> (float) r.nextInt(-6, 7);
                default -> (float) (r.nextDouble() * 10 - 5);
            };
        }
    }

    /** Calls {@code f} with every multi-index of {@code s} in row-major order (the array is reused). */
    static void forEachIndex(Shape s, Consumer<int[]> f) {
        int[] idx = new int[s.rank()];
        for (int i = 0; i < s.size(); i++) {
            f.accept(idx);
            for (int axis = idx.length - 1; axis >= 0; axis--) {
                if (++idx[axis] < s.dim(axis)) {
                    break;
                }
                idx[axis] = 0;
            }
        }
    }

    /** The multi-index of {@code t} that broadcasting maps output index {@code outIdx} to. */
    static int[] operandIndex(Tensor t, int[] outIdx) {
        int rank = t.shape().rank();
        int[] own = new int[rank];
        for (int i = 0; i < rank; i++) {
            own[i] = t.shape().dim(i) == 1 ? 0 : outIdx[outIdx.length - rank + i];
        }
        return own;
    }

    /** Element of {@code t} for output index {@code outIdx}, as a double. */
    static double at(Tensor t, int[] outIdx) {
        return t.getDouble(operandIndex(t, outIdx));
    }

    /** The broadcast shape computed by the definition (max of aligned dims; 0 wins over 1). */
    static Shape expectedShape(Tensor... ts) {
        int rank = 0;
        for (Tensor t : ts) {
            rank = Math.max(rank, t.shape().rank());
        }
        int[] out = new int[rank];
        Arrays.fill(out, 1);
        for (Tensor t : ts) {
            for (int i = 0; i < t.shape().rank(); i++) {
                int d = t.shape().dim(i);
                int axis = rank - t.shape().rank() + i;
                if (d != 1) {
                    out[axis] = d;
                }
            }
        }
        return Shape.of(out);
    }

    /** Asserts that two doubles from FLOAT results agree: same NaN-ness, else within rel * |e| + abs. */
    static void assertClose(double expected, double actual, double rel, double abs, String context) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            if (Double.isNaN(expected) != Double.isNaN(actual)) {
                throw new AssertionError(context + ": expected " + expected + ", got " + actual);
            }
            return;
        }
        if (expected == actual) {
            return;
        }
        if (Double.isInfinite(expected) || Math.abs(expected - actual) > rel * Math.abs(expected) + abs) {
            throw new AssertionError(context + ": expected " + expected + ", got " + actual);
        }
    }

    /** Asserts the output's dtype and shape. */
    static void assertShape(Tensor out, DType type, Shape shape, String context) {
        if (out.dtype() != type || !out.shape().equals(shape)) {
            throw new AssertionError(context + ": expected " + type + " " + shape + ", got " + out.dtype() + " "
                    + out.shape());
        }
    }

    /** {@code v} wrapped to {@code type}'s range the way C stores an int into a narrower one. */
    static long wrap(long v, DType type) {
        return switch (type) {
            case INT8 -> (byte) v;
            case UINT8 -> v & 0xFF;
            case INT32 -> (int) v;
            default -> v;
        };
    }
}
