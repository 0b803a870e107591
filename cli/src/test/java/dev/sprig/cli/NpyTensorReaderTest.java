package dev.sprig.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * {@link NpyTensorReader} on files this test writes byte by byte from the .npy format description,
 * on files NumPy wrote ({@code src/test/resources/npy}, see {@code make_fixtures.py} there), and on
 * malformed files.
 */
class NpyTensorReaderTest {

    @TempDir
    Path dir;

    /** An .npy file as the format describes it: magic, version, header length, padded header, data. */
    static byte[] npy(int major, String dict, byte[] data) {
        int lengthField = major == 1 ? 2 : 4;
        StringBuilder header = new StringBuilder(dict);
        // the whole preamble is padded with spaces to a multiple of 64 bytes and ends with a newline
        while ((8 + lengthField + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        byte[] h = header.toString().getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        ByteBuffer len = ByteBuffer.allocate(lengthField).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            len.putShort((short) h.length);
        } else {
            len.putInt(h.length);
        }
        out.writeBytes(len.array());
        out.writeBytes(h);
        out.writeBytes(data);
        return out.toByteArray();
    }

    static String dict(String descr, boolean fortran, int... shape) {
        String dims = Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': ("
                + dims + (shape.length == 1 ? "," : "") + "), }";
    }

    private Tensor readFile(byte[] bytes) throws Exception {
        Path f = dir.resolve("a.npy");
        Files.write(f, bytes);
        return NpyTensorReader.read(f);
    }

    private static ByteBuffer buffer(int bytes, ByteOrder order) {
        return ByteBuffer.allocate(bytes).order(order);
    }

    @Test
    void readsLittleEndianFloat32InVersion1() throws Exception {
        ByteBuffer b = buffer(24, ByteOrder.LITTLE_ENDIAN);
        for (float v : new float[]{1.5f, -2f, 0f, Float.MAX_VALUE, Float.NaN, -0.25f}) {
            b.putFloat(v);
        }
        Tensor t = readFile(npy(1, dict("<f4", false, 2, 3), b.array()));
        assertEquals(DType.FLOAT, t.dtype());
        assertArrayEquals(new int[]{2, 3}, t.shape().dims());
        assertArrayEquals(new float[]{1.5f, -2f, 0f, Float.MAX_VALUE, Float.NaN, -0.25f}, t.floatData());
    }

    @Test
    void readsBigEndianTypesAndVersions2And3() {
        ByteBuffer f8 = buffer(16, ByteOrder.BIG_ENDIAN).putDouble(0.1).putDouble(-3e10);
        Tensor d = NpyTensorReader.parse(npy(2, dict(">f8", false, 2), f8.array()), "f8");
        assertArrayEquals(new float[]{(float) 0.1, (float) -3e10}, d.floatData());

        ByteBuffer i4 = buffer(12, ByteOrder.BIG_ENDIAN).putInt(-1).putInt(Integer.MIN_VALUE).putInt(70000);
        Tensor i = NpyTensorReader.parse(npy(3, dict(">i4", false, 3, 1), i4.array()), "i4");
        assertEquals(DType.INT32, i.dtype());
        assertArrayEquals(new int[]{-1, Integer.MIN_VALUE, 70000}, i.intData());

        ByteBuffer i8 = buffer(16, ByteOrder.BIG_ENDIAN).putLong(1L << 40).putLong(-5);
        assertArrayEquals(new long[]{1L << 40, -5}, NpyTensorReader.parse(npy(1, dict(">i8", false, 2), i8.array()), "i8")
                .longData());
    }

    @Test
    void readsByteTypesAndBool() {
        byte[] raw = {(byte) 0xFF, 0, (byte) 0x80, 1};
        Tensor u = NpyTensorReader.parse(npy(1, dict("|u1", false, 4), raw), "u1");
        assertEquals(DType.UINT8, u.dtype());
        assertEquals(255, u.getLong(0));
        assertEquals(128, u.getLong(2));
        Tensor s = NpyTensorReader.parse(npy(1, dict("|i1", false, 2, 2), raw), "i1");
        assertEquals(DType.INT8, s.dtype());
        assertEquals(-1, s.getLong(0, 0));
        assertEquals(-128, s.getLong(1, 0));
        Tensor b = NpyTensorReader.parse(npy(1, dict("|b1", false, 3), new byte[]{1, 0, 1}), "b1");
        assertArrayEquals(new boolean[]{true, false, true}, b.booleanData());
    }

    @Test
    void readsFloat16AndScalars() {
        // 0x3C00 = 1.0, 0xC000 = -2.0, 0x7BFF = 65504 (the largest half), IEEE 754 binary16
        ByteBuffer h = buffer(6, ByteOrder.LITTLE_ENDIAN).putShort((short) 0x3C00).putShort((short) 0xC000)
                .putShort((short) 0x7BFF);
        assertArrayEquals(new float[]{1f, -2f, 65504f}, NpyTensorReader.parse(npy(1, dict("<f2", false, 3), h.array()), "f2")
                .floatData());
        Tensor scalar = NpyTensorReader.parse(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }",
                buffer(4, ByteOrder.LITTLE_ENDIAN).putFloat(7.5f).array()), "scalar");
        assertEquals(0, scalar.shape().rank());
        assertEquals(7.5f, scalar.getFloat());
    }

    @Test
    void transposesFortranOrder() {
        // a 2x3 matrix [[0,1,2],[3,4,5]] stored column by column: 0,3,1,4,2,5
        ByteBuffer b = buffer(24, ByteOrder.LITTLE_ENDIAN);
        for (int v : new int[]{0, 3, 1, 4, 2, 5}) {
            b.putFloat(v);
        }
        Tensor t = NpyTensorReader.parse(npy(1, dict("<f4", true, 2, 3), b.array()), "fortran");
        assertArrayEquals(new int[]{2, 3}, t.shape().dims());
        assertArrayEquals(new double[]{0, 1, 2, 3, 4, 5}, t.toDoubleArray());
        assertTrue(t.isContiguous());
    }

    @Test
    void roundTripsRandomShapesTypesOrdersAndVersions() {
        Gen<int[]> shapes = SourceDSL.lists().of(SourceDSL.integers().between(0, 4)).ofSizeBetween(0, 4)
                .map(l -> l.stream().mapToInt(Integer::intValue).toArray());
        Gen<String> types = SourceDSL.arbitrary().pick(List.of("<f4", ">f4", "<f8", ">f8", "<i4", ">i4", "<i8", ">i8",
                "|i1", "|u1", "|b1"));
        qt().withExamples(300).forAll(shapes, types, SourceDSL.booleans().all(), SourceDSL.integers().between(1, 3))
                .checkAssert((shape, descr, fortran, major) -> {
                    int n = Arrays.stream(shape).reduce(1, (a, c) -> a * c);
                    int size = Integer.parseInt(descr.substring(2));
                    ByteBuffer b = buffer(n * size, descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                    // element with row-major index r has value v(r); Fortran order stores them column-major
                    for (int p = 0; p < n; p++) {
                        long v = value(fortran ? rowMajorIndexOfColumnMajor(p, shape) : p);
                        switch (descr.substring(1)) {
                            case "f4" -> b.putFloat(v);
                            case "f8" -> b.putDouble(v);
                            case "i4" -> b.putInt((int) v);
                            case "i8" -> b.putLong(v);
                            case "b1" -> b.put((byte) (v & 1));
                            default -> b.put((byte) v);
                        }
                    }
                    Tensor t = NpyTensorReader.parse(npy(major, dict(descr, fortran, shape), b.array()), "random");
                    assertArrayEquals(shape, t.shape().dims());
                    double[] got = t.toDoubleArray();
                    for (int r = 0; r < n; r++) {
                        long v = value(r);
                        double expected = switch (descr.substring(1)) {
                            case "b1" -> v & 1;
                            case "i1" -> (byte) v;
                            case "u1" -> v & 0xFF;
                            default -> v;
                        };
                        assertEquals(expected, got[r], descr + " " + Arrays.toString(shape) + " fortran " + fortran
                                + " element " + r);
                    }
                });
    }

    private static long value(int rowMajorIndex) {
        return rowMajorIndex * 37L - 300;
    }

    /** The row-major index of the element at position {@code p} of a column-major walk (first axis fastest). */
    private static int rowMajorIndexOfColumnMajor(int p, int[] shape) {
        int[] idx = new int[shape.length];
        for (int a = 0; a < shape.length; a++) {
            idx[a] = p % shape[a];
            p /= shape[a];
        }
        int r = 0;
        for (int a = 0; a < shape.length; a++) {
            r = r * shape[a] + idx[a];
        }
        return r;
    }

    /** Files NumPy 2.4.6 wrote (make_fixtures.py); the values are the ones that script states. */
    @Test
    void readsFilesNumpyWrote() throws Exception {
        float[] quarters = {0f, 0.25f, 0.5f, 0.75f, 1f, 1.25f};
        for (String f : List.of("f4_le_2x3.npy", "f8_be_2x3.npy", "f4_v2_2x3.npy", "f4_v3_2x3.npy")) {
            Tensor t = NpyTensorReader.read(fixture(f));
            assertArrayEquals(new int[]{2, 3}, t.shape().dims(), f);
            assertArrayEquals(quarters, t.floatData(), f);
        }
        assertArrayEquals(new float[]{0.5f, -2f, 65504f}, NpyTensorReader.read(fixture("f2_le_3.npy")).floatData());
        assertArrayEquals(new long[]{-3, 0, 1L << 40}, NpyTensorReader.read(fixture("i8_le_3.npy")).longData());
        assertArrayEquals(new int[]{-1, 2, 3, Integer.MIN_VALUE}, NpyTensorReader.read(fixture("i4_be_2x2.npy")).intData());
        assertArrayEquals(new double[]{0, 1, 128, 255}, NpyTensorReader.read(fixture("u1_4.npy")).toDoubleArray());
        assertArrayEquals(new double[]{-128, -1, 0, 127}, NpyTensorReader.read(fixture("i1_4.npy")).toDoubleArray());
        assertArrayEquals(new boolean[]{true, false, true}, NpyTensorReader.read(fixture("b1_3.npy")).booleanData());
        assertEquals(7.5f, NpyTensorReader.read(fixture("f4_scalar.npy")).getFloat());
        Tensor fortran = NpyTensorReader.read(fixture("f4_fortran_2x3x4.npy"));
        assertArrayEquals(new int[]{2, 3, 4}, fortran.shape().dims());
        double[] arange = new double[24];
        Arrays.setAll(arange, i -> i);
        assertArrayEquals(arange, fortran.toDoubleArray());
    }

    private static Path fixture(String name) throws Exception {
        return Path.of(NpyTensorReaderTest.class.getResource("/npy/" + name).toURI());
    }

    private static String error(byte[] bytes) {
        return assertThrows(IllegalArgumentException.class, () -> NpyTensorReader.parse(bytes, "x.npy")).getMessage();
    }

    @Test
    void malformedFilesAreNamedWithExpectedAndActual() {
        byte[] good = npy(1, dict("<f4", false, 2, 3), new byte[24]);
        String magic = error("PK\u0003\u0004 not numpy".getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(magic.startsWith("x.npy: not an .npy file") && magic.contains("\\x93NUMPY") && magic.contains("PK"), magic);

        String shortFile = error(new byte[]{(byte) 0x93, 'N'});
        assertTrue(shortFile.contains("not an .npy file") && shortFile.contains("2 bytes"), shortFile);

        String truncated = error(Arrays.copyOf(good, good.length - 4));
        assertTrue(truncated.contains("truncated data") && truncated.contains("needs 24 data bytes")
                && truncated.contains("has 20"), truncated);

        String extra = error(Arrays.copyOf(good, good.length + 8));
        assertTrue(extra.contains("extra bytes") && extra.contains("needs 24") && extra.contains("has 32"), extra);

        String dtype = error(npy(1, dict("<c8", false, 2), new byte[16]));
        assertTrue(dtype.contains("unsupported dtype '<c8'") && dtype.contains("f4"), dtype);
        String order = error(npy(1, dict("|f4", false, 2), new byte[8]));
        assertTrue(order.contains("unsupported dtype '|f4'"), order);

        byte[] version = good.clone();
        version[6] = 4;
        String v = error(version);
        assertTrue(v.contains("version 4.0") && v.contains("expected 1.0, 2.0 or 3.0"), v);

        String header = error(Arrays.copyOf(good, 40));
        assertTrue(header.contains("truncated header") && header.contains("30 follow"), header);

        String keys = error(npy(1, "{'descr': '<f4', 'shape': (2,), }", new byte[8]));
        assertTrue(keys.contains("exactly the keys") && keys.contains("[descr, shape]"), keys);

        String syntax = error(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3), }", new byte[8]));
        assertTrue(syntax.contains("malformed header") && syntax.contains("non-negative integer"), syntax);

        String structured = error(npy(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }",
                new byte[8]));
        assertTrue(structured.contains("structured dtypes"), structured);

        String bool = error(npy(1, dict("|b1", false, 2), new byte[]{1, 7}));
        assertTrue(bool.contains("element 1 is byte 7") && bool.contains("0 or 1"), bool);
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.npy");
        String m = assertThrows(IllegalArgumentException.class, () -> NpyTensorReader.read(missing)).getMessage();
        assertEquals(missing + ": no such file", m);
    }
}
