package dev.sprig.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/**
 * Tensors from nested Java arrays and back to flat Java arrays, against expectations written out
 * element by element here (row-major order done by hand).
 */
class TensorJavaArraysTest {

    @Test
    void matrixFromRowsKeepsEveryElementAtItsIndex() {
        Tensor t = Tensor.of(new float[][]{{1, 2, 3}, {4, 5, 6}});
        assertEquals(DType.FLOAT, t.dtype());
        assertEquals(Shape.of(2, 3), t.shape());
        assertEquals(1f, t.getFloat(0, 0));
        assertEquals(2f, t.getFloat(0, 1));
        assertEquals(3f, t.getFloat(0, 2));
        assertEquals(4f, t.getFloat(1, 0));
        assertEquals(5f, t.getFloat(1, 1));
        assertEquals(6f, t.getFloat(1, 2));
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, t.toFloatArray());
    }

    @Test
    void fourDimensionalArrayIsRowMajorNchw() {
        // value = 1000 n + 100 c + 10 h + w, so each element names its own index
        float[][][][] x = {{
                {{0, 1, 2}, {10, 11, 12}},
                {{100, 101, 102}, {110, 111, 112}}}};
        Tensor t = Tensor.of(x);
        assertEquals(Shape.of(1, 2, 2, 3), t.shape());
        assertEquals(112f, t.getFloat(0, 1, 1, 2));
        assertEquals(101f, t.getFloat(0, 1, 0, 1));
        assertEquals(10f, t.getFloat(0, 0, 1, 0));
        assertArrayEquals(new float[]{0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112}, t.toFloatArray());
    }

    @Test
    void threeDimensionalArray() {
        Tensor t = Tensor.of(new float[][][]{{{1, 2}}, {{3, 4}}, {{5, 6}}});
        assertEquals(Shape.of(3, 1, 2), t.shape());
        assertEquals(4f, t.getFloat(1, 0, 1));
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, t.toFloatArray());
    }

    @Test
    void nestedFactoriesCopyTheirInput() {
        float[][] rows = {{1, 2}, {3, 4}};
        Tensor t = Tensor.of(rows);
        rows[0][0] = 99;
        assertEquals(1f, t.getFloat(0, 0));
    }

    @Test
    void integerMatrices() {
        Tensor ids = Tensor.of(new long[][]{{101, 2023}, {Long.MAX_VALUE, -1}});
        assertEquals(DType.INT64, ids.dtype());
        assertEquals(Shape.of(2, 2), ids.shape());
        assertEquals(Long.MAX_VALUE, ids.getLong(1, 0));
        assertArrayEquals(new long[]{101, 2023, Long.MAX_VALUE, -1}, ids.toLongArray());

        Tensor ints = Tensor.of(new int[][]{{7}, {-8}, {9}});
        assertEquals(DType.INT32, ints.dtype());
        assertEquals(Shape.of(3, 1), ints.shape());
        assertArrayEquals(new int[]{7, -8, 9}, ints.toIntArray());
    }

    @Test
    void raggedArraysAreRejectedNamingTheRow() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[][]{{1, 2, 3}, {4, 5}}));
        assertTrue(e.getMessage().contains("float[][] is not rectangular")
                && e.getMessage().contains("data[1] has length 2, expected 3 like data[0]"), e.getMessage());

        float[][][][] deep = new float[1][2][2][3];
        deep[0][1][1] = new float[4];
        var e4 = assertThrows(IllegalArgumentException.class, () -> Tensor.of(deep));
        assertTrue(e4.getMessage().contains("float[][][][] is not rectangular")
                && e4.getMessage().contains("data[0][1][1] has length 4, expected 3 like data[0][0][0]"),
                e4.getMessage());

        var eLong = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new long[][]{{1}, {2, 3}}));
        assertTrue(eLong.getMessage().contains("long[][]") && eLong.getMessage().contains("data[1] has length 2"),
                eLong.getMessage());
    }

    @Test
    void nullRowsAndUnknownInnerLengthsAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[][]{{1, 2}, null}));
        assertTrue(e.getMessage().contains("data[1] is null"), e.getMessage());
        var first = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new int[][]{null, {1}}));
        assertTrue(first.getMessage().contains("data[0] is null"), first.getMessage());

        var empty = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[0][3]));
        assertTrue(empty.getMessage().contains("length 0 on axis 0"), empty.getMessage());
        // an empty innermost axis leaves nothing unknown
        Tensor noColumns = Tensor.of(new float[2][0]);
        assertEquals(Shape.of(2, 0), noColumns.shape());
        assertEquals(0, noColumns.toFloatArray().length);
    }

    @Test
    void toFloatArrayReadsAViewInItsOwnOrder() {
        // [[1, 2, 3], [4, 5, 6]] transposed is [[1, 4], [2, 5], [3, 6]]
        Tensor t = Tensor.of(new float[]{1, 2, 3, 4, 5, 6}, 2, 3).permute(1, 0);
        assertArrayEquals(new float[]{1, 4, 2, 5, 3, 6}, t.toFloatArray());
    }

    @Test
    void toArrayCopiesAreIndependentOfTheTensor() {
        float[] storage = {1, 2, 3};
        Tensor t = Tensor.of(storage, 3);
        float[] copy = t.toFloatArray();
        copy[0] = 99;
        storage[1] = 42;
        assertEquals(1f, t.getFloat(0));
        assertArrayEquals(new float[]{99, 2, 3}, copy);
    }

    @Test
    void toLongArrayWidensEveryIntegerType() {
        byte[] raw = {(byte) 200, (byte) -1, 5};
        assertArrayEquals(new long[]{200, 255, 5}, Tensor.ofUint8(raw, 3).toLongArray());
        assertArrayEquals(new long[]{-56, -1, 5}, Tensor.ofInt8(raw, 3).toLongArray());
        assertArrayEquals(new long[]{Integer.MIN_VALUE, Integer.MAX_VALUE},
                Tensor.of(new int[]{Integer.MIN_VALUE, Integer.MAX_VALUE}, 2).toLongArray());
        assertArrayEquals(new byte[]{(byte) 200, (byte) -1, 5}, Tensor.ofUint8(raw, 3).toByteArray());
        assertArrayEquals(new boolean[]{true, false}, Tensor.of(new boolean[]{true, false}, 2).toBooleanArray());
    }

    @Test
    void conversionsNameBothTypesOnAMismatch() {
        Tensor ids = Tensor.of(new long[]{1, 2}, 1, 2);
        var e = assertThrows(IllegalStateException.class, ids::toFloatArray);
        assertTrue(e.getMessage().contains("toFloatArray() needs a FLOAT tensor")
                && e.getMessage().contains("this one is INT64"), e.getMessage());
        Tensor floats = Tensor.of(new float[]{1}, 1);
        var l = assertThrows(IllegalStateException.class, floats::toLongArray);
        assertTrue(l.getMessage().contains("toLongArray() needs an integer tensor")
                && l.getMessage().contains("FLOAT"), l.getMessage());
        assertThrows(IllegalStateException.class, ids::toIntArray);
        assertThrows(IllegalStateException.class, ids::toBooleanArray);
        assertThrows(IllegalStateException.class, floats::toByteArray);
        assertThrows(IllegalStateException.class, () -> Tensor.of(new boolean[]{true}, 1).toLongArray());
    }

    @Test
    void randomRectangularArraysRoundTripInRowMajorOrder() {
        qt().withExamples(200).forAll(Generate.range(0, 5), Generate.range(1, 6), Generate.range(0, 7),
                        Generate.longRange(0, Long.MAX_VALUE / 2))
                .checkAssert((d0, d1, d3, seed) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    int d2 = 1 + r.nextInt(5);
                    float[][][][] x = new float[d0 + 1][d1][d2][d3];
                    float[] expected = new float[(d0 + 1) * d1 * d2 * d3];
                    int flat = 0;
                    for (float[][][] a : x) {
                        for (float[][] b : a) {
                            for (float[] c : b) {
                                for (int w = 0; w < c.length; w++) {
                                    c[w] = (float) r.nextGaussian();
                                    expected[flat++] = c[w];
                                }
                            }
                        }
                    }
                    Tensor t = Tensor.of(x);
                    String where = "shape " + Arrays.toString(new int[]{d0 + 1, d1, d2, d3}) + " seed=" + seed;
                    assertEquals(Shape.of(d0 + 1, d1, d2, d3), t.shape(), where);
                    assertArrayEquals(expected, t.toFloatArray(), where);
                    if (d3 > 0) {
                        int n = r.nextInt(d0 + 1);
                        int c = r.nextInt(d1);
                        int h = r.nextInt(d2);
                        int w = r.nextInt(d3);
                        assertEquals(x[n][c][h][w], t.getFloat(n, c, h, w), where);
                    }
                });
    }
}
