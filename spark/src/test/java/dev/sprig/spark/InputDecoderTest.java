package dev.sprig.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every form Spark hands an array<float> or binary value in lands at the right offset, unchanged. */
class InputDecoderTest {

    private static final float[] ROW = {1.5f, -0f, Float.NaN, Float.MIN_VALUE, -3e38f};
    private final InputDecoder decoder = new InputDecoder("features", "x:FLOAT[N,5]", ROW.length);

    private float[] decoded(Object value) {
        float[] out = new float[ROW.length + 3];
        decoder.decode(value, out, 2);
        float[] row = new float[ROW.length];
        System.arraycopy(out, 2, row, 0, row.length);
        assertEquals(0f, out[0]);
        assertEquals(0f, out[out.length - 1]);
        return row;
    }

    private static void assertBits(float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), "element " + i);
        }
    }

    @Test
    void everyArrayForm() {
        Float[] boxed = new Float[ROW.length];
        for (int i = 0; i < ROW.length; i++) {
            boxed[i] = ROW[i];
        }
        assertBits(ROW, decoded(ROW.clone()));
        assertBits(ROW, decoded(scala.collection.mutable.ArraySeq.make(ROW.clone())));
        assertBits(ROW, decoded(scala.collection.mutable.ArraySeq.make(boxed)));
        assertBits(ROW, decoded(scala.jdk.javaapi.CollectionConverters.asScala(List.of(boxed)).toList()));
        assertBits(ROW, decoded(List.of(boxed)));
    }

    @Test
    void binaryIsLittleEndianFloat32() {
        ByteBuffer b = ByteBuffer.allocate(ROW.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : ROW) {
            b.putInt(Float.floatToRawIntBits(f));
        }
        assertBits(ROW, decoded(b.array()));
        // 1.0f is 00 00 80 3f in little-endian order
        float[] one = new float[1];
        new InputDecoder("c", "x", 1).decode(new byte[]{0, 0, (byte) 0x80, 0x3f}, one, 0);
        assertArrayEquals(new float[]{1f}, one);
    }

    @Test
    void wrongLengthsAndTypesAreNamed() {
        assertEquals("column 'features' has an array of 4 floats; the model input x:FLOAT[N,5] takes 5 per row",
                assertThrows(IllegalArgumentException.class, () -> decoded(new float[4])).getMessage());
        assertEquals("column 'features' has a binary value of 21 bytes; the model input x:FLOAT[N,5] takes 5 float32"
                        + " values per row = 20 bytes (little-endian)",
                assertThrows(IllegalArgumentException.class, () -> decoded(new byte[21])).getMessage());
        assertEquals("column 'features' has a Double at index 0 of an array; SprigInference needs non-null floats",
                assertThrows(IllegalArgumentException.class, () -> decoded(List.of(1.0, 2.0, 3.0, 4.0, 5.0)))
                        .getMessage());
        assertEquals("column 'features' holds a java.lang.String; SprigInference reads array<float> or binary",
                assertThrows(IllegalArgumentException.class, () -> decoded("12345")).getMessage());
    }
}
