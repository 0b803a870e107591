package dev.sprig.core.ops.reduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Attribute;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.OperatorRegistry;
import dev.sprig.kernels.testing.FloatData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The reductions, ArgMax/ArgMin, TopK and CumSum against their definitions evaluated directly: for
 * each output element, the terms it covers are gathered by comparing multi-indices, then combined
 * in double (FLOAT) or long (integers).
 */
class ReduceOperatorsTest {

    private static final String[] OPS = {"ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd",
        "ReduceL1", "ReduceL2", "ReduceSumSquare", "ReduceLogSum", "ReduceLogSumExp"};

    @Test
    void floatReductionsOverRandomAxes() {
        SplittableRandom r = new SplittableRandom(51);
        for (int trial = 0; trial < 400; trial++) {
            String op = OPS[r.nextInt(OPS.length)];
            int rank = 1 + r.nextInt(4);
            int[] dims = new int[rank];
            for (int i = 0; i < rank; i++) {
                dims[i] = 1 + r.nextInt(4);
            }
            long[] axes = randomAxes(r, rank);
            boolean keep = r.nextBoolean();
            boolean asInput = r.nextBoolean();
            int opset = asInput ? 18 : 13;
            float[] data = FloatData.uniform(trial, Shape.of(dims).size());
            if (op.equals("ReduceLogSum") || op.equals("ReduceProd")) {
                for (int i = 0; i < data.length; i++) {
                    data[i] = op.equals("ReduceLogSum") ? Math.abs(data[i]) + 0.5f : 0.5f + Math.abs(data[i]);
                }
            }
            Tensor x = Tensor.of(data, dims);
            Map<String, Attribute> attrs = new LinkedHashMap<>();
            attrs.put("keepdims", Attribute.of("keepdims", keep ? 1L : 0L));
            Tensor axesTensor = null;
            if (axes != null && asInput && !op.equals("ReduceSum")) {
                axesTensor = Tensor.of(axes, axes.length);
            } else if (axes != null) {
                if (op.equals("ReduceSum") && asInput) {
                    axesTensor = Tensor.of(axes, axes.length);
                    opset = 13;
                } else {
                    attrs.put("axes", Attribute.of("axes", axes));
                    opset = 13;
                    if (op.equals("ReduceSum")) {
                        opset = 11;
                    }
                }
            }
            Tensor y = run(op, opset, attrs, x, axesTensor)[0];
            boolean[] reduced = new boolean[rank];
            for (int i = 0; i < rank; i++) {
                reduced[i] = axes == null;
            }
            if (axes != null) {
                for (long a : axes) {
                    reduced[(int) (a < 0 ? a + rank : a)] = true;
                }
            }
            List<Integer> outDims = new ArrayList<>();
            int[] kept = dims.clone();
            for (int i = 0; i < rank; i++) {
                if (reduced[i]) {
                    kept[i] = 1;
                    if (keep) {
                        outDims.add(1);
                    }
                } else {
                    outDims.add(dims[i]);
                }
            }
            String ctx = op + " trial " + trial + " " + Arrays.toString(dims) + " axes " + Arrays.toString(axes)
                    + " keepdims " + keep + " opset " + opset;
            assertArrayEquals(outDims.stream().mapToInt(Integer::intValue).toArray(), y.shape().dims(), ctx);
            for (int o = 0; o < Shape.of(kept).size(); o++) {
                int[] oi = unflat(o, kept);
                List<Double> terms = new ArrayList<>();
                for (int e = 0; e < data.length; e++) {
                    int[] ei = unflat(e, dims);
                    boolean mine = true;
                    for (int i = 0; i < rank; i++) {
                        mine &= reduced[i] || ei[i] == oi[i];
                    }
                    if (mine) {
                        terms.add((double) data[e]);
                    }
                }
                double expected = definition(op, terms);
                float actual = y.floatData()[o];
                double tol = 1e-5 * terms.size() * (Math.abs(expected) + 1);
                if (!(Math.abs(expected - actual) <= tol)) {
                    throw new AssertionError(ctx + " at output " + o + ": expected " + expected + ", got " + actual);
                }
            }
        }
    }

    private static double definition(String op, List<Double> t) {
        return switch (op) {
            case "ReduceSum" -> t.stream().mapToDouble(v -> v).sum();
            case "ReduceMean" -> t.stream().mapToDouble(v -> v).sum() / t.size();
            case "ReduceMax" -> t.stream().mapToDouble(v -> v).max().orElseThrow();
            case "ReduceMin" -> t.stream().mapToDouble(v -> v).min().orElseThrow();
            case "ReduceProd" -> t.stream().mapToDouble(v -> v).reduce(1, (a, b) -> a * b);
            case "ReduceL1" -> t.stream().mapToDouble(Math::abs).sum();
            case "ReduceL2" -> Math.sqrt(t.stream().mapToDouble(v -> v * v).sum());
            case "ReduceSumSquare" -> t.stream().mapToDouble(v -> v * v).sum();
            case "ReduceLogSum" -> Math.log(t.stream().mapToDouble(v -> v).sum());
            case "ReduceLogSumExp" -> Math.log(t.stream().mapToDouble(Math::exp).sum());
            default -> throw new IllegalArgumentException(op);
        };
    }

    @Test
    void integerReductionsEmptySetsAndNoop() {
        Tensor x = Tensor.of(new long[]{3, -7, 2, 9, 4, -1}, 2, 3);
        Map<String, Attribute> keep0 = Map.of("keepdims", Attribute.of("keepdims", 0L));
        Tensor axis1 = Tensor.of(new long[]{-1}, 1);
        assertArrayEquals(new long[]{-2, 12}, run("ReduceSum", 13, keep0, x, axis1)[0].longData());
        assertArrayEquals(new long[]{3, 9}, run("ReduceMax", 18, keep0, x, axis1)[0].longData());
        assertArrayEquals(new long[]{-7, -1}, run("ReduceMin", 18, keep0, x, axis1)[0].longData());
        assertArrayEquals(new long[]{-42, -36}, run("ReduceProd", 18, keep0, x, axis1)[0].longData());
        assertArrayEquals(new long[]{0, 4}, run("ReduceMean", 18, keep0, x, axis1)[0].longData()); // truncates
        assertArrayEquals(new long[]{62, 98}, run("ReduceSumSquare", 18, keep0, x, axis1)[0].longData());
        // empty reduced axis: the identity of each reduction
        Tensor empty = Tensor.zeros(DType.FLOAT, Shape.of(2, 0, 3));
        Tensor axis1b = Tensor.of(new long[]{1}, 1);
        Map<String, Attribute> keep1 = Map.of();
        assertArrayEquals(new float[]{0, 0, 0, 0, 0, 0}, run("ReduceSum", 13, keep1, empty, axis1b)[0].floatData());
        assertArrayEquals(new float[]{1, 1, 1, 1, 1, 1}, run("ReduceProd", 18, keep1, empty, axis1b)[0].floatData());
        assertEquals(Float.NEGATIVE_INFINITY, run("ReduceMax", 20, keep1, empty, axis1b)[0].floatData()[0]);
        assertEquals(Float.NEGATIVE_INFINITY, run("ReduceLogSumExp", 18, keep1, empty, axis1b)[0].floatData()[0]);
        // noop_with_empty_axes returns the input; without it, no axes reduce everything
        Map<String, Attribute> noop = Map.of("noop_with_empty_axes", Attribute.of("noop_with_empty_axes", 1L));
        assertSame(x, run("ReduceSum", 13, noop, x, null)[0]);
        assertArrayEquals(new long[]{10}, run("ReduceSum", 13, Map.of(), x, null)[0].longData());
        // BOOL max and min are any and all
        Tensor b = Tensor.of(new boolean[]{true, false, false, false}, 2, 2);
        assertArrayEquals(new boolean[]{true, false}, run("ReduceMax", 20, keep0, b, axis1)[0].booleanData());
        assertArrayEquals(new boolean[]{false, false}, run("ReduceMin", 20, keep0, b, axis1)[0].booleanData());
    }

    @Test
    void argMaxArgMinTopKAndCumSum() {
        Tensor x = Tensor.of(new float[]{1, 5, 5, 2, 0, 0, 3, 3}, 2, 4);
        Map<String, Attribute> axis1 = Map.of("axis", Attribute.of("axis", -1L));
        assertArrayEquals(new long[]{1, 2}, run("ArgMax", 13, axis1, x)[0].longData());
        Map<String, Attribute> last = Map.of("axis", Attribute.of("axis", 1L), "select_last_index",
                Attribute.of("select_last_index", 1L), "keepdims", Attribute.of("keepdims", 0L));
        Tensor am = run("ArgMax", 13, last, x)[0];
        assertArrayEquals(new int[]{2}, am.shape().dims());
        assertArrayEquals(new long[]{2, 3}, am.longData());
        assertArrayEquals(new long[]{0, 0}, run("ArgMin", 13, axis1, x)[0].longData());
        assertArrayEquals(new long[]{0, 0, 0, 1}, run("ArgMax", 13, Map.of(), x)[0].longData());

        // TopK: ties come lower index first
        Tensor[] top = run("TopK", 11, Map.of(), x, Tensor.of(new long[]{3}, 1));
        assertArrayEquals(new float[]{5, 5, 2, 3, 3, 0}, top[0].floatData());
        assertArrayEquals(new long[]{1, 2, 3, 2, 3, 0}, top[1].longData());
        Tensor[] low = run("TopK", 11, Map.of("largest", Attribute.of("largest", 0L), "axis", Attribute.of("axis", 0L)),
                x, Tensor.of(new long[]{1}, 1));
        assertArrayEquals(new float[]{0, 0, 3, 2}, low[0].floatData());
        assertArrayEquals(new long[]{1, 1, 1, 0}, low[1].longData());
        Tensor[] old = run("TopK", 1, Map.of("k", Attribute.of("k", 2L)), x);
        assertArrayEquals(new float[]{5, 5, 3, 3}, old[0].floatData());

        // CumSum: inclusive, exclusive, reverse, along either axis
        Tensor c = Tensor.of(new long[]{1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor ax1 = Tensor.of(new int[]{1}, 1);
        assertArrayEquals(new long[]{1, 3, 6, 4, 9, 15}, run("CumSum", 14, Map.of(), c, ax1)[0].longData());
        assertArrayEquals(new long[]{0, 1, 3, 0, 4, 9},
                run("CumSum", 14, Map.of("exclusive", Attribute.of("exclusive", 1L)), c, ax1)[0].longData());
        assertArrayEquals(new long[]{6, 5, 3, 15, 11, 6},
                run("CumSum", 14, Map.of("reverse", Attribute.of("reverse", 1L)), c, ax1)[0].longData());
        assertArrayEquals(new long[]{5, 3, 0, 11, 6, 0}, run("CumSum", 14, Map.of("reverse",
                Attribute.of("reverse", 1L), "exclusive", Attribute.of("exclusive", 1L)), c, ax1)[0].longData());
        Tensor f = Tensor.of(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new float[]{1, 2, 3, 5, 7, 9},
                run("CumSum", 14, Map.of(), f, Tensor.of(new long[]{-2}, 1))[0].floatData());
    }

    private static long[] randomAxes(SplittableRandom r, int rank) {
        if (r.nextInt(5) == 0) {
            return null;
        }
        List<Long> axes = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            if (r.nextBoolean()) {
                axes.add(r.nextBoolean() ? (long) i : (long) (i - rank));
            }
        }
        if (axes.isEmpty()) {
            axes.add((long) r.nextInt(rank));
        }
        return axes.stream().mapToLong(Long::longValue).toArray();
    }

    private static Tensor[] run(String op, int opset, Map<String, Attribute> attrs, Tensor... inputs) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            names.add(inputs[i] == null ? "" : "in" + i);
        }
        Node node = new Node("t", op, "", names, List.of("out0", "out1"), attrs);
        Tensor[] one = OperatorRegistry.standard().create(node, opset).run(inputs, OpContext.SERIAL);
        return one;
    }

    private static int[] unflat(int j, int[] dims) {
        int[] idx = new int[dims.length];
        for (int a = dims.length - 1; a >= 0; a--) {
            idx[a] = j % dims[a];
            j /= dims[a];
        }
        return idx;
    }
}
