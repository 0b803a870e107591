package dev.sprig.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.core.Tensor;
import org.junit.jupiter.api.Test;

/** The node-test output comparison: tolerance, special values, exact integers, dtype and shape. */
class TensorMatchTest {

    private static final double RTOL = 1e-3;
    private static final double ATOL = 1e-7;

    @Test
    void floatToleranceIsAtolPlusRtolTimesExpected() {
        assertTrue(TensorMatch.floatsMatch(1000f, 1000.99f, RTOL, ATOL));
        assertFalse(TensorMatch.floatsMatch(1000f, 1001.01f, RTOL, ATOL));
        assertTrue(TensorMatch.floatsMatch(0f, 0.9e-7f, RTOL, ATOL));
        assertFalse(TensorMatch.floatsMatch(0f, 1.1e-7f, RTOL, ATOL));
        assertTrue(TensorMatch.floatsMatch(-0f, 0f, RTOL, ATOL));
    }

    @Test
    void nanMatchesOnlyNanAndInfinityOnlyItself() {
        assertTrue(TensorMatch.floatsMatch(Float.NaN, Float.NaN, RTOL, ATOL));
        assertFalse(TensorMatch.floatsMatch(Float.NaN, 0f, RTOL, ATOL));
        assertFalse(TensorMatch.floatsMatch(1f, Float.NaN, RTOL, ATOL));
        assertTrue(TensorMatch.floatsMatch(Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, RTOL, ATOL));
        assertFalse(TensorMatch.floatsMatch(Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, RTOL, ATOL));
        assertFalse(TensorMatch.floatsMatch(Float.MAX_VALUE, Float.POSITIVE_INFINITY, RTOL, ATOL));
    }

    @Test
    void reportsDtypeShapeAndFirstIndex() {
        Tensor f = Tensor.of(new float[]{1, 2, 3, 4}, 2, 2);
        assertNull(TensorMatch.mismatch(f, Tensor.of(new float[]{1, 2, 3, 4.001f}, 2, 2), RTOL, ATOL));
        assertEquals("index 2 of 4 FLOAT[2x2]: expected 3.0, got 3.5",
                TensorMatch.mismatch(f, Tensor.of(new float[]{1, 2, 3.5f, 9}, 2, 2), RTOL, ATOL));
        assertEquals("shape: expected [2x2], got [4]",
                TensorMatch.mismatch(f, Tensor.of(new float[]{1, 2, 3, 4}, 4), RTOL, ATOL));
        assertEquals("dtype: expected FLOAT, got INT64",
                TensorMatch.mismatch(f, Tensor.of(new long[]{1, 2, 3, 4}, 2, 2), RTOL, ATOL));
        // a transposed view is compared in its logical (row-major) order
        Tensor t = Tensor.of(new float[]{1, 3, 2, 4}, 2, 2).permute(1, 0);
        assertNull(TensorMatch.mismatch(f, t, RTOL, ATOL));
    }

    @Test
    void integersAndBoolsMustBeExact() {
        long big = (1L << 53) + 1; // differs from its neighbour only beyond double precision
        assertEquals("index 0 of 1 INT64[1]: expected " + big + ", got " + (big - 1),
                TensorMatch.mismatch(Tensor.of(new long[]{big}, 1), Tensor.of(new long[]{big - 1}, 1), RTOL, ATOL));
        assertEquals("index 1 of 2 UINT8[2]: expected 200, got 201",
                TensorMatch.mismatch(Tensor.ofUint8(new byte[]{0, (byte) 200}, 2),
                        Tensor.ofUint8(new byte[]{0, (byte) 201}, 2), RTOL, ATOL));
        assertEquals("index 0 of 1 BOOL[1]: expected true, got false",
                TensorMatch.mismatch(Tensor.of(new boolean[]{true}, 1), Tensor.of(new boolean[]{false}, 1), RTOL, ATOL));
        assertNull(TensorMatch.mismatch(Tensor.of(new int[]{-7}, 1), Tensor.of(new int[]{-7}, 1), RTOL, ATOL));
    }
}
