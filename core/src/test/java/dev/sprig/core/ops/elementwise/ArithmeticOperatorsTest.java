package dev.sprig.core.ops.elementwise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Attribute;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;
import org.junit.jupiter.api.Test;

/** Add, Sub, Mul, Div, Pow and Mod against per-element definitions on random broadcast shapes. */
class ArithmeticOperatorsTest {

    private static final DType[] INTEGERS = {DType.INT8, DType.UINT8, DType.INT32, DType.INT64};

    @Test
    void floatArithmeticMatchesDoubleReference() {
        check("Add", 14, (a, b) -> a + b);
        check("Sub", 7, (a, b) -> a - b);
        check("Mul", 13, (a, b) -> a * b);
        check("Div", 14, (a, b) -> a / b);
        check("Pow", 15, Math::pow);
        check("Pow", 7, Math::pow);
    }

    private static void check(String op, int opset, DoubleBinaryOperator f) {
        for (long seed = 0; seed < 300; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int[][] dims = ElementwiseTesting.broadcastShapes(r, 2);
            Tensor a = ElementwiseTesting.random(DType.FLOAT, dims[0], r);
            Tensor b = ElementwiseTesting.random(DType.FLOAT, dims[1], r);
            Tensor c = ElementwiseTesting.run(op, opset, a, b);
            ElementwiseTesting.assertShape(c, DType.FLOAT, ElementwiseTesting.expectedShape(a, b), op);
            long s = seed;
            ElementwiseTesting.forEachIndex(c.shape(), idx -> {
                // one float rounding of the exact (double) result
                double expected = (float) f.applyAsDouble(ElementwiseTesting.at(a, idx), ElementwiseTesting.at(b, idx));
                ElementwiseTesting.assertClose(expected, c.getDouble(idx), 0, 0,
                        op + " seed " + s + " " + a.shape() + " " + b.shape() + " at " + Arrays.toString(idx));
            });
        }
    }

    @Test
    void integerArithmeticWrapsAndDivTruncatesTowardZero() {
        checkInt("Add", (a, b) -> a + b);
        checkInt("Sub", (a, b) -> a - b);
        checkInt("Mul", (a, b) -> a * b);
        checkInt("Div", (a, b) -> b == 0 ? 0 : a / b);
        checkInt("Mod", (a, b) -> b == 0 ? 0 : a - b * Math.floorDiv(a, b));
    }

    private static void checkInt(String op, LongBinaryOperator f) {
        for (DType type : INTEGERS) {
            for (long seed = 0; seed < 200; seed++) {
                SplittableRandom r = new SplittableRandom(seed);
                int[][] dims = ElementwiseTesting.broadcastShapes(r, 2);
                Tensor a = ElementwiseTesting.random(type, dims[0], r);
                Tensor b = nonZero(ElementwiseTesting.random(type, dims[1], r));
                int opset = op.equals("Mod") ? 13 : 14;
                Tensor c = ElementwiseTesting.run(op, opset, a, b);
                ElementwiseTesting.assertShape(c, type, ElementwiseTesting.expectedShape(a, b), op);
                long s = seed;
                ElementwiseTesting.forEachIndex(c.shape(), idx -> {
                    long x = (long) ElementwiseTesting.at(a, idx);
                    long y = (long) ElementwiseTesting.at(b, idx);
                    if (type == DType.INT64) { // doubles cannot hold every long: read exactly
                        x = a.getLong(ElementwiseTesting.operandIndex(a, idx));
                        y = b.getLong(ElementwiseTesting.operandIndex(b, idx));
                    }
                    long expected = ElementwiseTesting.wrap(f.applyAsLong(x, y), type);
                    assertEquals(expected, c.getLong(idx), op + " " + type + " seed " + s + " " + x + ", " + y);
                });
            }
        }
    }

    private static Tensor nonZero(Tensor t) {
        switch (t.dtype()) {
            case INT32 -> {
                int[] d = t.intData();
                for (int i = 0; i < d.length; i++) {
                    d[i] = d[i] == 0 ? 3 : d[i];
                }
            }
            case INT64 -> {
                long[] d = t.longData();
                for (int i = 0; i < d.length; i++) {
                    d[i] = d[i] == 0 ? 3 : d[i];
                }
            }
            default -> {
                byte[] d = t.byteData();
                for (int i = 0; i < d.length; i++) {
                    d[i] = d[i] == 0 ? 3 : d[i];
                }
            }
        }
        return t;
    }

    @Test
    void integerDivisionExamples() {
        Tensor q = ElementwiseTesting.run("Div", 14, Tensor.of(new int[]{7, -7, 7, -7, Integer.MIN_VALUE}, 5),
                Tensor.of(new int[]{2, 2, -2, -2, -1}, 5));
        assertArrayEquals(new int[]{3, -3, -3, 3, Integer.MIN_VALUE}, q.intData());
        Tensor u = ElementwiseTesting.run("Div", 14, Tensor.ofUint8(new byte[]{(byte) 200, 9}, 2),
                Tensor.ofUint8(new byte[]{3, 2}, 2));
        assertArrayEquals(new byte[]{66, 4}, u.byteData());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                ElementwiseTesting.run("Div", 14, Tensor.of(new long[]{1}, 1), Tensor.of(new long[]{0}, 1)));
        assertTrue(e.getMessage().contains("division by zero"), e.getMessage());
    }

    @Test
    void typeRulesFollowTheOpset() {
        Tensor u8 = Tensor.ofUint8(new byte[]{1}, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ElementwiseTesting.run("Add", 13, u8, u8));
        assertTrue(e.getMessage().contains("UINT8") && e.getMessage().contains("opset 13"), e.getMessage());
        assertEquals(2, ElementwiseTesting.run("Add", 14, u8, u8).getLong(0));
        assertThrows(IllegalArgumentException.class, () ->
                ElementwiseTesting.run("Add", 14, Tensor.of(new float[]{1}, 1), Tensor.of(new int[]{1}, 1)));
    }

    @Test
    void legacyBroadcastAlignsBAtAxis() {
        Tensor a = Tensor.of(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.of(new float[]{10, 20}, 2);
        Tensor c = ElementwiseTesting.run("Add", 6, List.of(Attribute.of("broadcast", 1L), Attribute.of("axis", 0L)),
                a, b);
        assertArrayEquals(new float[]{11, 12, 13, 24, 25, 26}, c.floatData());
        Tensor d = ElementwiseTesting.run("Mul", 6, List.of(Attribute.of("broadcast", 1L)), a,
                Tensor.of(new float[]{1, 0, -1}, 3));
        assertArrayEquals(new float[]{1, 0, -3, 4, 0, -6}, d.floatData());
        assertThrows(IllegalArgumentException.class, () -> ElementwiseTesting.run("Add", 6, a, b));
    }

    @Test
    void powWithIntegerAndMixedTypes() {
        Tensor p = ElementwiseTesting.run("Pow", 15, Tensor.of(new float[]{2, 9, -2}, 3),
                Tensor.of(new long[]{3, -1, 2}, 3));
        assertArrayEquals(new float[]{8, 1f / 9, 4}, p.floatData());
        Tensor q = ElementwiseTesting.run("Pow", 15, Tensor.of(new int[]{1, 2, 3, 2}, 4),
                Tensor.of(new float[]{4, 5, 6, 0.5f}, 4));
        assertArrayEquals(new int[]{1, 32, 729, 1}, q.intData()); // 2^0.5 truncates to 1
        Tensor s = ElementwiseTesting.run("Pow", 15, Tensor.of(new long[]{3, -2, 5, -1}, 4),
                Tensor.of(new long[]{40, 3, -1, -3}, 4));
        // 3^40 overflows: the low 64 bits, as wrapping multiplication gives
        assertArrayEquals(new long[]{java.math.BigInteger.valueOf(3).pow(40).longValue(), -8, 0, -1}, s.longData());
        assertThrows(IllegalArgumentException.class, () -> ElementwiseTesting.run("Pow", 11,
                Tensor.of(new int[]{1}, 1), Tensor.of(new int[]{1}, 1)));
    }

    @Test
    void modSignsFollowFmod() {
        Tensor a = Tensor.of(new int[]{-4, 7, 5, -3}, 4);
        Tensor b = Tensor.of(new int[]{3, -3, 8, -2}, 4);
        assertArrayEquals(new int[]{2, -2, 5, -1}, ElementwiseTesting.run("Mod", 10, a, b).intData());
        assertArrayEquals(new int[]{-1, 1, 5, -1}, ElementwiseTesting.run("Mod", 10,
                List.of(Attribute.of("fmod", 1L)), a, b).intData());
        Tensor f = ElementwiseTesting.run("Mod", 10, List.of(Attribute.of("fmod", 1L)),
                Tensor.of(new float[]{-4.3f, 7.5f}, 2), Tensor.of(new float[]{2f, -2f}, 2));
        assertArrayEquals(new float[]{-4.3f % 2f, 1.5f}, f.floatData());
        assertThrows(IllegalArgumentException.class, () -> ElementwiseTesting.run("Mod", 10,
                Tensor.of(new float[]{1}, 1), Tensor.of(new float[]{1}, 1)));
    }
}
