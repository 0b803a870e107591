package dev.sprig.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.onnx.proto.StringStringEntryProto;
import dev.sprig.onnx.proto.TensorProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TensorProto decoding: every element type through raw_data and through its typed field, the
 * 16-bit float conversions, element-count checks, external data and the error messages. Protos
 * are built with the generated builders and raw bytes are written by hand in little-endian order.
 */
class TensorProtosTest {

    private static final int FLOAT = 1;
    private static final int UINT8 = 2;
    private static final int INT8 = 3;
    private static final int INT16 = 5;
    private static final int INT32 = 6;
    private static final int INT64 = 7;
    private static final int BOOL = 9;
    private static final int FLOAT16 = 10;
    private static final int DOUBLE = 11;
    private static final int BFLOAT16 = 16;

    @TempDir
    Path dir;

    private static TensorProto.Builder tensor(String name, int type, long... dims) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(type);
        for (long d : dims) {
            b.addDims(d);
        }
        return b;
    }

    private static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static Tensor decode(TensorProto.Builder b) {
        return TensorProtos.toTensor(b.build(), null, "tensor '" + b.getName() + "'");
    }

    @Test
    void floatFromRawAndFromFloatData() {
        ByteBuffer raw = le(24);
        float[] values = {1.5f, -2.25f, 0f, Float.NaN, Float.POSITIVE_INFINITY, -0f};
        for (float v : values) {
            raw.putFloat(v);
        }
        Tensor a = decode(tensor("a", FLOAT, 2, 3).setRawData(ByteString.copyFrom(raw.array())));
        assertEquals(DType.FLOAT, a.dtype());
        assertEquals(Shape.of(2, 3), a.shape());
        assertFloatBitsEqual(values, a.floatData());

        TensorProto.Builder typed = tensor("b", FLOAT, 3, 2);
        for (float v : values) {
            typed.addFloatData(v);
        }
        Tensor b = decode(typed);
        assertEquals(Shape.of(3, 2), b.shape());
        assertFloatBitsEqual(values, b.floatData());
    }

    @Test
    void uint8AndInt8FromRawAndFromInt32Data() {
        byte[] raw = {0, 1, (byte) 200, (byte) 255};
        Tensor u = decode(tensor("u", UINT8, 4).setRawData(ByteString.copyFrom(raw)));
        assertEquals(DType.UINT8, u.dtype());
        assertEquals(200, u.getLong(2));
        assertEquals(255, u.getLong(3));

        Tensor s = decode(tensor("s", INT8, 2, 2).setRawData(ByteString.copyFrom(raw)));
        assertEquals(DType.INT8, s.dtype());
        assertEquals(-56, s.getLong(1, 0));
        assertEquals(-1, s.getLong(1, 1));

        Tensor u2 = decode(tensor("u2", UINT8, 3).addInt32Data(0).addInt32Data(128).addInt32Data(255));
        assertEquals(128, u2.getLong(1));
        assertEquals(255, u2.getLong(2));
        Tensor s2 = decode(tensor("s2", INT8, 3).addInt32Data(-128).addInt32Data(5).addInt32Data(127));
        assertEquals(-128, s2.getLong(0));
        assertEquals(127, s2.getLong(2));
    }

    @Test
    void int8OutOfRangeInInt32DataIsAnError() {
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> decode(tensor("w", INT8, 2).addInt32Data(3).addInt32Data(200)));
        assertContains(e, "tensor 'w'", "int32_data[1] = 200", "INT8", "[-128, 127]");
        ModelLoadException u = assertThrows(ModelLoadException.class, () -> decode(tensor("q", UINT8, 1).addInt32Data(-1)));
        assertContains(u, "int32_data[0] = -1", "UINT8", "[0, 255]");
    }

    @Test
    void int32FromRawAndFromInt32Data() {
        ByteBuffer raw = le(12).putInt(7).putInt(-1).putInt(Integer.MIN_VALUE);
        Tensor a = decode(tensor("a", INT32, 3).setRawData(ByteString.copyFrom(raw.array())));
        assertEquals(DType.INT32, a.dtype());
        assertArrayEquals(new int[]{7, -1, Integer.MIN_VALUE}, a.intData());
        Tensor b = decode(tensor("b", INT32, 1, 2).addInt32Data(Integer.MAX_VALUE).addInt32Data(-42));
        assertArrayEquals(new int[]{Integer.MAX_VALUE, -42}, b.intData());
    }

    @Test
    void int64FromRawAndFromInt64Data() {
        ByteBuffer raw = le(16).putLong(Long.MIN_VALUE).putLong(1L << 40);
        Tensor a = decode(tensor("a", INT64, 2).setRawData(ByteString.copyFrom(raw.array())));
        assertEquals(DType.INT64, a.dtype());
        assertArrayEquals(new long[]{Long.MIN_VALUE, 1L << 40}, a.longData());
        Tensor b = decode(tensor("b", INT64).addInt64Data(-9_000_000_000L));
        assertEquals(Shape.scalar(), b.shape());
        assertArrayEquals(new long[]{-9_000_000_000L}, b.longData());
    }

    @Test
    void boolFromRawAndFromInt32Data() {
        Tensor a = decode(tensor("a", BOOL, 3).setRawData(ByteString.copyFrom(new byte[]{1, 0, 1})));
        assertEquals(DType.BOOL, a.dtype());
        assertArrayEquals(new boolean[]{true, false, true}, a.booleanData());
        Tensor b = decode(tensor("b", BOOL, 2).addInt32Data(0).addInt32Data(1));
        assertArrayEquals(new boolean[]{false, true}, b.booleanData());
    }

    @Test
    void everyFloat16BitPatternMatchesTheJdkConversion() {
        // exhaustive over all 65536 halves: normals, subnormals, zeros, infinities, NaNs
        for (int h = 0; h < 0x10000; h++) {
            float expected = Float.float16ToFloat((short) h);
            float actual = TensorProtos.halfToFloat(h);
            if (Float.isNaN(expected)) {
                assertTrue(Float.isNaN(actual), "half 0x" + Integer.toHexString(h) + " must be NaN, got " + actual);
            } else {
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                        "half 0x" + Integer.toHexString(h) + ": expected " + expected + ", got " + actual);
            }
        }
    }

    @Test
    void float16EdgeValuesFromRawAndFromInt32Data() {
        // smallest subnormal, largest subnormal, smallest normal, max, -0, +inf, -inf, NaN
        short[] bits = {0x0001, 0x03FF, 0x0400, 0x7BFF, (short) 0x8000, 0x7C00, (short) 0xFC00, 0x7E00};
        ByteBuffer raw = le(2 * bits.length);
        TensorProto.Builder typed = tensor("h2", FLOAT16, bits.length);
        float[] expected = new float[bits.length];
        for (int i = 0; i < bits.length; i++) {
            raw.putShort(bits[i]);
            typed.addInt32Data(bits[i] & 0xFFFF);
            expected[i] = Float.float16ToFloat(bits[i]);
        }
        Tensor a = decode(tensor("h", FLOAT16, bits.length).setRawData(ByteString.copyFrom(raw.array())));
        assertEquals(DType.FLOAT, a.dtype());
        assertFloatBitsEqual(expected, a.floatData());
        assertFloatBitsEqual(expected, decode(typed).floatData());
        // spot values written out by hand from the binary16 definition
        assertEquals(0x1p-24f, a.floatData()[0]);
        assertEquals(65504f, a.floatData()[3]);
    }

    @Test
    void bfloat16IsTheHighHalfOfAFloat() {
        // 1.0 = 0x3F80, -2.0 = 0xC000, 1/3 rounded = 0x3EAB, +inf = 0x7F80, smallest subnormal 0x0001
        int[] bits = {0x3F80, 0xC000, 0x3EAB, 0x7F80, 0x0001};
        float[] expected = {1f, -2f, 0.333984375f, Float.POSITIVE_INFINITY, Float.MIN_VALUE * 65536};
        ByteBuffer raw = le(2 * bits.length);
        TensorProto.Builder typed = tensor("b2", BFLOAT16, bits.length);
        for (int b : bits) {
            raw.putShort((short) b);
            typed.addInt32Data(b);
        }
        assertFloatBitsEqual(expected,
                decode(tensor("b", BFLOAT16, bits.length).setRawData(ByteString.copyFrom(raw.array()))).floatData());
        assertFloatBitsEqual(expected, decode(typed).floatData());
    }

    @Test
    void emptyTensorNeedsNoData() {
        Tensor t = decode(tensor("e", FLOAT, 0, 3));
        assertEquals(Shape.of(0, 3), t.shape());
        assertEquals(0, t.size());
    }

    @Test
    void unsupportedTypesNameTensorTypeAndSupportedList() {
        ModelLoadException d = assertThrows(ModelLoadException.class, () -> decode(tensor("w", DOUBLE, 1).addDoubleData(1)));
        assertContains(d, "tensor 'w'", "DOUBLE(11)", "supported", "FLOAT(1)", "BOOL(9)");
        ModelLoadException s = assertThrows(ModelLoadException.class, () -> decode(tensor("k", INT16, 1).addInt32Data(1)));
        assertContains(s, "tensor 'k'", "INT16(5)");
        ModelLoadException str = assertThrows(ModelLoadException.class,
                () -> decode(tensor("s", 8, 1).addStringData(ByteString.copyFromUtf8("x"))));
        assertContains(str, "STRING(8)");
        ModelLoadException unknown = assertThrows(ModelLoadException.class, () -> decode(tensor("z", 99, 1)));
        assertContains(unknown, "UNKNOWN(99)");
    }

    @Test
    void elementCountMustMatchDims() {
        ModelLoadException typed = assertThrows(ModelLoadException.class,
                () -> decode(tensor("w", FLOAT, 2, 2).addFloatData(1).addFloatData(2).addFloatData(3)));
        assertContains(typed, "tensor 'w'", "[2x2]", "4 elements", "float_data has 3");
        ModelLoadException raw = assertThrows(ModelLoadException.class,
                () -> decode(tensor("r", INT32, 3).setRawData(ByteString.copyFrom(new byte[10]))));
        assertContains(raw, "tensor 'r'", "needs 12 bytes", "found 10");
        ModelLoadException none = assertThrows(ModelLoadException.class, () -> decode(tensor("n", INT64, 2)));
        assertContains(none, "int64_data has 0", "no raw_data");
        ModelLoadException negative = assertThrows(ModelLoadException.class, () -> decode(tensor("neg", FLOAT, -1)));
        assertContains(negative, "tensor 'neg'", "invalid shape");
    }

    @Test
    void externalDataWithOffsetAndLength(@TempDir Path modelDir) throws IOException {
        ByteBuffer file = le(4 + 12);
        file.putInt(0xDEADBEEF);
        file.putFloat(1f).putFloat(2f).putFloat(3f);
        Files.write(modelDir.resolve("weights.bin"), file.array());
        TensorProto p = external(tensor("w", FLOAT, 3), "weights.bin", "4", "12").build();
        Tensor t = TensorProtos.toTensor(p, modelDir, "initializer 'w'");
        assertArrayEquals(new float[]{1f, 2f, 3f}, t.floatData());

        // without length: to the end of the file
        TensorProto rest = external(tensor("w", FLOAT, 3), "weights.bin", "4", null).build();
        assertArrayEquals(new float[]{1f, 2f, 3f}, TensorProtos.toTensor(rest, modelDir, "w").floatData());

        // in a subfolder, without offset
        Files.createDirectories(modelDir.resolve("data"));
        Files.write(modelDir.resolve("data/x.bin"), le(8).putLong(77L).array());
        TensorProto sub = external(tensor("x", INT64), "data/x.bin", null, null).build();
        assertArrayEquals(new long[]{77L}, TensorProtos.toTensor(sub, modelDir, "x").longData());
    }

    @Test
    void externalDataRejectsEscapesAndOutOfRangeReads(@TempDir Path root) throws IOException {
        Path modelDir = Files.createDirectories(root.resolve("model"));
        Files.write(root.resolve("secret.bin"), new byte[16]);
        Files.write(modelDir.resolve("w.bin"), new byte[16]);

        ModelLoadException up = assertThrows(ModelLoadException.class, () -> TensorProtos.toTensor(
                external(tensor("w", FLOAT, 4), "../secret.bin", null, null).build(), modelDir, "initializer 'w'"));
        assertContains(up, "initializer 'w'", "../secret.bin", "outside the model's directory");

        String absolute = root.resolve("secret.bin").toAbsolutePath().toString();
        ModelLoadException abs = assertThrows(ModelLoadException.class, () -> TensorProtos.toTensor(
                external(tensor("w", FLOAT, 4), absolute, null, null).build(), modelDir, "initializer 'w'"));
        assertContains(abs, "is absolute");

        ModelLoadException beyond = assertThrows(ModelLoadException.class, () -> TensorProtos.toTensor(
                external(tensor("w", FLOAT, 4), "w.bin", "8", "16").build(), modelDir, "initializer 'w'"));
        assertContains(beyond, "[8, 24)", "beyond the end", "16 bytes");

        ModelLoadException offset = assertThrows(ModelLoadException.class, () -> TensorProtos.toTensor(
                external(tensor("w", FLOAT, 4), "w.bin", "17", null).build(), modelDir, "initializer 'w'"));
        assertContains(offset, "offset 17", "beyond the end");

        ModelLoadException shortData = assertThrows(ModelLoadException.class, () -> TensorProtos.toTensor(
                external(tensor("w", FLOAT, 4), "w.bin", "8", null).build(), modelDir, "initializer 'w'"));
        assertContains(shortData, "needs 16 bytes", "found 8");

        ModelLoadException badNumber = assertThrows(ModelLoadException.class, () -> TensorProtos.toTensor(
                external(tensor("w", FLOAT, 4), "w.bin", "-4", null).build(), modelDir, "initializer 'w'"));
        assertContains(badNumber, "'offset' must be a non-negative integer", "'-4'");

        ModelLoadException missing = assertThrows(ModelLoadException.class, () -> TensorProtos.toTensor(
                external(tensor("w", FLOAT, 4), "nope.bin", null, null).build(), modelDir, "initializer 'w'"));
        assertContains(missing, "'nope.bin' does not exist");

        ModelLoadException noLocation = assertThrows(ModelLoadException.class, () -> TensorProtos.toTensor(
                tensor("w", FLOAT, 4).setDataLocation(TensorProto.DataLocation.EXTERNAL).build(), modelDir, "w"));
        assertContains(noLocation, "without a 'location'");

        ModelLoadException noDir = assertThrows(ModelLoadException.class, () -> TensorProtos.toTensor(
                external(tensor("w", FLOAT, 4), "w.bin", null, null).build(), null, "initializer 'w'"));
        assertContains(noDir, "without a directory");
    }

    @Test
    void readTensorFileReadsAPbFileAndRejectsGarbage() throws IOException {
        Path pb = dir.resolve("input_0.pb");
        Files.write(pb, tensor("x", INT32, 2).addInt32Data(4).addInt32Data(-5).build().toByteArray());
        Tensor t = TensorProtos.readTensorFile(pb);
        assertArrayEquals(new int[]{4, -5}, t.intData());

        Path bad = dir.resolve("bad.pb");
        Files.write(bad, new byte[]{0x0F, 0x01}); // field 1 with the invalid wire type 7
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> TensorProtos.readTensorFile(bad));
        assertContains(e, "bad.pb", "not a valid ONNX TensorProto");

        ModelLoadException absent = assertThrows(ModelLoadException.class,
                () -> TensorProtos.readTensorFile(dir.resolve("absent.pb")));
        assertContains(absent, "cannot read tensor file", "absent.pb");
    }

    private static TensorProto.Builder external(TensorProto.Builder b, String location, String offset, String length) {
        b.setDataLocation(TensorProto.DataLocation.EXTERNAL);
        b.addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location));
        if (offset != null) {
            b.addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue(offset));
        }
        if (length != null) {
            b.addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue(length));
        }
        return b;
    }

    private static void assertFloatBitsEqual(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    "element " + i + ": expected " + expected[i] + ", got " + actual[i]);
        }
    }

    static void assertContains(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message should contain '" + p + "': " + e.getMessage());
        }
    }
}
