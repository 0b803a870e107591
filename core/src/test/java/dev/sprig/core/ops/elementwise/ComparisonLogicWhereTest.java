package dev.sprig.core.ops.elementwise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Comparisons, logic ops and Where against per-element definitions on random broadcast shapes. */
class ComparisonLogicWhereTest {

    private interface DoubleComparison {
        boolean test(double a, double b);
    }

    private interface BooleanFunction {
        boolean test(boolean a, boolean b);
    }

    private static final DType[] NUMERIC = {DType.FLOAT, DType.INT8, DType.UINT8, DType.INT32, DType.INT64};

    @Test
    void comparisonsOnEveryNumericType() {
        compare("Equal", 19, (a, b) -> a == b);
        compare("Less", 13, (a, b) -> a < b);
        compare("Greater", 13, (a, b) -> a > b);
        compare("LessOrEqual", 16, (a, b) -> a <= b);
        compare("GreaterOrEqual", 16, (a, b) -> a >= b);
    }

    private static void compare(String op, int opset, DoubleComparison p) {
        for (DType type : NUMERIC) {
            for (long seed = 0; seed < 100; seed++) {
                SplittableRandom r = new SplittableRandom(seed);
                int[][] dims = ElementwiseTesting.broadcastShapes(r, 2);
                Tensor a = ElementwiseTesting.random(type, dims[0], r);
                // B from A's values sometimes so that equality happens
                Tensor b = ElementwiseTesting.random(type, dims[1], r);
                Tensor c = ElementwiseTesting.run(op, opset, a, b);
                ElementwiseTesting.assertShape(c, DType.BOOL, ElementwiseTesting.expectedShape(a, b), op);
                ElementwiseTesting.forEachIndex(c.shape(), idx -> {
                    double x = ElementwiseTesting.at(a, idx);
                    double y = ElementwiseTesting.at(b, idx);
                    if (type == DType.INT64) {
                        x = Long.compare(a.getLong(ElementwiseTesting.operandIndex(a, idx)),
                                b.getLong(ElementwiseTesting.operandIndex(b, idx)));
                        y = 0;
                    }
                    assertEquals(p.test(x, y), c.getBoolean(idx), op + " " + type + " " + Arrays.toString(idx));
                });
            }
        }
        Tensor nan = Tensor.of(new float[]{Float.NaN, 0f}, 2);
        Tensor other = Tensor.of(new float[]{Float.NaN, -0f}, 2);
        Tensor c = ElementwiseTesting.run(op, opset, nan, other);
        assertEquals(false, c.getBoolean(0), op + " with NaN");
        assertEquals(p.test(0.0, 0.0), c.getBoolean(1), op + " +0 vs -0");
    }

    @Test
    void equalOnBooleansAndTypeRules() {
        Tensor a = Tensor.of(new boolean[]{true, false, true, false}, 4);
        Tensor b = Tensor.of(new boolean[]{true, true, false, false}, 4);
        assertArrayEquals(new boolean[]{true, false, false, true},
                ElementwiseTesting.run("Equal", 7, a, b).booleanData());
        assertThrows(IllegalArgumentException.class, () -> ElementwiseTesting.run("Equal", 7,
                Tensor.of(new float[]{1}, 1), Tensor.of(new float[]{1}, 1)));
        assertThrows(IllegalArgumentException.class, () -> ElementwiseTesting.run("Less", 8,
                Tensor.of(new int[]{1}, 1), Tensor.of(new int[]{1}, 1)));
    }

    @Test
    void logicOps() {
        logic("And", (a, b) -> a && b);
        logic("Or", (a, b) -> a || b);
        logic("Xor", (a, b) -> a != b);
        Tensor x = Tensor.of(new boolean[]{true, false}, 2);
        assertArrayEquals(new boolean[]{false, true}, ElementwiseTesting.run("Not", 1, x).booleanData());
        assertEquals(0, ElementwiseTesting.run("Not", 1, Tensor.of(new boolean[0], 0, 3)).size());
    }

    private static void logic(String op, BooleanFunction f) {
        for (long seed = 0; seed < 200; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int[][] dims = ElementwiseTesting.broadcastShapes(r, 2);
            Tensor a = ElementwiseTesting.random(DType.BOOL, dims[0], r);
            Tensor b = ElementwiseTesting.random(DType.BOOL, dims[1], r);
            Tensor c = ElementwiseTesting.run(op, 7, a, b);
            ElementwiseTesting.assertShape(c, DType.BOOL, ElementwiseTesting.expectedShape(a, b), op);
            ElementwiseTesting.forEachIndex(c.shape(), idx -> assertEquals(
                    f.test(ElementwiseTesting.at(a, idx) != 0, ElementwiseTesting.at(b, idx) != 0), c.getBoolean(idx),
                    op + " " + Arrays.toString(idx)));
        }
    }

    @Test
    void whereSelectsWithThreeWayBroadcasting() {
        DType[] types = {DType.FLOAT, DType.INT8, DType.UINT8, DType.INT32, DType.INT64, DType.BOOL};
        for (DType type : types) {
            for (long seed = 0; seed < 150; seed++) {
                SplittableRandom r = new SplittableRandom(seed);
                int[][] dims = ElementwiseTesting.broadcastShapes(r, 3);
                Tensor cond = ElementwiseTesting.random(DType.BOOL, dims[0], r);
                Tensor x = ElementwiseTesting.random(type, dims[1], r);
                Tensor y = ElementwiseTesting.random(type, dims[2], r);
                Tensor out = ElementwiseTesting.run("Where", 16, cond, x, y);
                ElementwiseTesting.assertShape(out, type, ElementwiseTesting.expectedShape(cond, x, y), "Where");
                ElementwiseTesting.forEachIndex(out.shape(), idx -> {
                    Tensor pick = ElementwiseTesting.at(cond, idx) != 0 ? x : y;
                    int[] own = ElementwiseTesting.operandIndex(pick, idx);
                    String ctx = "Where " + type + " " + Arrays.toString(idx);
                    if (type == DType.INT64) {
                        assertEquals(pick.getLong(own), out.getLong(idx), ctx);
                    } else {
                        assertEquals(pick.getDouble(own), out.getDouble(idx), ctx);
                    }
                });
            }
        }
        assertThrows(IllegalArgumentException.class, () -> ElementwiseTesting.run("Where", 9,
                Tensor.of(new boolean[]{true}, 1), Tensor.of(new float[]{1}, 1), Tensor.of(new int[]{1}, 1)));
    }
}
