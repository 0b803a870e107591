package dev.sprig.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void factoriesCheckTheElementCount() {
        var e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[5], 2, 3));
        assertTrue(e.getMessage().contains("[2x3]") && e.getMessage().contains("6") && e.getMessage().contains("5"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.wrap(DType.INT64, new float[1], Shape.of(1)));
    }

    @Test
    void elementAccessFollowsRowMajorOrder() {
        Tensor t = Tensor.of(new float[]{0, 1, 2, 3, 4, 5}, 2, 3);
        assertEquals(5f, t.getFloat(1, 2));
        assertEquals(3f, t.getFloat(1, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> t.getFloat(2, 0));
        assertThrows(IllegalArgumentException.class, () -> t.getFloat(1));
        assertThrows(IllegalStateException.class, () -> t.getLong(0, 0));
    }

    @Test
    void uint8ReadsUnsignedAndInt8Signed() {
        byte[] raw = {(byte) 200, (byte) -1};
        assertEquals(200, Tensor.ofUint8(raw, 2).getLong(0));
        assertEquals(255, Tensor.ofUint8(raw, 2).getLong(1));
        assertEquals(-56, Tensor.ofInt8(raw, 2).getLong(0));
    }

    @Test
    void permuteIsAViewAndContiguousCopiesInTheNewOrder() {
        Tensor t = Tensor.of(new float[]{0, 1, 2, 3, 4, 5}, 2, 3);
        Tensor tt = t.permute(1, 0);
        assertEquals(Shape.of(3, 2), tt.shape());
        assertFalse(tt.isContiguous());
        assertEquals(4f, tt.getFloat(1, 1));
        assertArrayEquals(new double[]{0, 3, 1, 4, 2, 5}, tt.toDoubleArray());
        Tensor c = tt.contiguous();
        assertTrue(c.isContiguous());
        assertArrayEquals(new float[]{0, 3, 1, 4, 2, 5}, c.floatData());
        assertThrows(IllegalStateException.class, () -> tt.reshape(6));
        assertThrows(IllegalArgumentException.class, () -> t.permute(0, 0));
    }

    @Test
    void toStringShowsDtypeShapeAndTheFirstValues() {
        Tensor t = Tensor.of(new float[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 2, 5);
        assertEquals("Tensor[FLOAT [2x5]]{1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, ...}", t.toString());
        assertEquals("Tensor[INT64 [2]]{7, -1}", Tensor.of(new long[]{7, -1}, 2).toString());
        assertEquals("Tensor[BOOL []]{true}", Tensor.of(new boolean[]{true}).toString());
    }

    @Test
    void concatRowsJoinsAlongAxisZeroAndRefusesMismatches() {
        Tensor a = Tensor.of(new long[] {1, 2, 3, 4}, 2, 2);
        Tensor b = Tensor.of(new long[] {5, 6}, 1, 2);
        Tensor ab = Tensor.concatRows(List.of(a, b));
        assertArrayEquals(new int[] {3, 2}, ab.shape().dims());
        assertArrayEquals(new long[] {1, 2, 3, 4, 5, 6}, ab.toLongArray());
        // a non-contiguous part (a transposed view) is copied in its logical order
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).permute(1, 0);
        assertArrayEquals(new float[] {1, 3, 2, 4, 9, 9},
                Tensor.concatRows(List.of(t, Tensor.of(new float[] {9, 9}, 1, 2))).toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.concatRows(List.of(a, Tensor.of(new long[] {1, 2, 3}, 1, 3))));
        assertTrue(e.getMessage().contains("does not join"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Tensor.concatRows(List.of(a, Tensor.of(new float[] {1, 2}, 1, 2))));
        assertThrows(IllegalArgumentException.class, () -> Tensor.concatRows(List.of()));
    }
}
