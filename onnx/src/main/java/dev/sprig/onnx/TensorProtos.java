package dev.sprig.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.onnx.proto.StringStringEntryProto;
import dev.sprig.onnx.proto.TensorProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes ONNX {@code TensorProto} messages into Sprig {@link Tensor}s.
 *
 * <p>The elements come from {@code raw_data} (fixed-width little-endian), from the typed field
 * that ONNX assigns to the type ({@code float_data} for FLOAT, {@code int32_data} for the
 * 8-bit, BOOL, INT32 and 16-bit float types, {@code int64_data} for INT64), or from an external
 * file beside the model ({@code data_location = EXTERNAL}, keys {@code location}, {@code offset},
 * {@code length}).
 *
 * <p>Element types: FLOAT, UINT8, INT8, INT32, INT64 and BOOL keep their type; FLOAT16 and
 * BFLOAT16 are widened to FLOAT exactly (every half and bfloat16 value, subnormals, infinities
 * and NaN included, is a float). Every other type (INT16, UINT16, UINT32, UINT64, DOUBLE,
 * STRING, complex, 8/4/2-bit floats and integers) is rejected with a {@link ModelLoadException}
 * naming the tensor and its type: INT16/UINT16 are not silently widened to INT32 because the ops
 * would then compute with INT32 wrap-around and return INT32 where the model expects 16-bit
 * values.
 *
 * <p>Sizes are checked before allocation: the element count a tensor's dims declare must match the
 * bytes or values actually present (raw_data, the typed field, or the external range, whose length is
 * compared with the file before anything is read), and stay within the {@link LoadOptions} limits.
 */
public final class TensorProtos {

    /** ONNX {@code TensorProto.DataType} codes Sprig reads that have no {@link DType} of their own. */
    static final int FLOAT16 = 10;
    static final int BFLOAT16 = 16;

    private static final String SUPPORTED =
            "FLOAT(1), UINT8(2), INT8(3), INT32(6), INT64(7), BOOL(9), FLOAT16(10) and BFLOAT16(16) as FLOAT";

    private TensorProtos() {
    }

    /**
     * Reads a serialized {@code TensorProto} file, such as the {@code input_0.pb} and
     * {@code output_0.pb} files of an ONNX test_data_set. External data is looked up in the
     * file's directory.
     *
     * @throws ModelLoadException when the file cannot be read, is not a TensorProto, or holds a
     *                            tensor Sprig cannot represent
     */
    public static Tensor readTensorFile(Path pb) {
        LoadBudget budget = new LoadBudget(LoadOptions.defaults());
        byte[] bytes = readBounded(pb, "tensor file", budget);
        TensorProto proto;
        try {
            proto = TensorProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelLoadException("tensor file " + pb + " is not a valid ONNX TensorProto: " + e.getMessage(), e);
        }
        Path dir = pb.toAbsolutePath().getParent();
        return toTensor(proto, dir, "tensor file " + pb + (proto.getName().isEmpty() ? "" : " ('" + proto.getName() + "')"),
                budget);
    }

    /**
     * Converts {@code proto} to a tensor; {@code baseDir} is the model's directory (for external
     * data; null when the model has none) and {@code what} names the tensor in error messages,
     * e.g. {@code initializer 'conv1.weight'}.
     */
    public static Tensor toTensor(TensorProto proto, Path baseDir, String what) {
        return toTensor(proto, baseDir, what, new LoadBudget(LoadOptions.defaults()));
    }

    /** {@link #toTensor(TensorProto, Path, String)} within the limits and byte budget of one load. */
    static Tensor toTensor(TensorProto proto, Path baseDir, String what, LoadBudget budget) {
        int code = proto.getDataType();
        DType dtype = runtimeType(code);
        if (dtype == null) {
            throw new ModelLoadException(what + " has element type " + typeName(code) + "(" + code
                    + "), which Sprig does not support; supported: " + SUPPORTED);
        }
        if (proto.hasSegment()) {
            throw new ModelLoadException(what + " is stored in segments, which Sprig does not support");
        }
        long[] dims = toLongArray(proto.getDimsList());
        budget.checkElements(elementCount(dims, what), what, Arrays.toString(dims));
        Shape shape;
        try {
            shape = Shape.ofLongs(dims);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(what + " has an invalid shape: " + e.getMessage(), e);
        }
        int n = shape.size();
        ByteBuffer raw = null;
        if (proto.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            raw = readExternal(proto, baseDir, what, (long) n * rawWidth(code), budget);
        } else if (proto.hasRawData()) {
            raw = proto.getRawData().asReadOnlyByteBuffer();
        }
        Object data = raw != null ? fromRaw(raw, code, n, shape, what) : fromTypedField(proto, code, n, shape, what);
        return Tensor.wrap(dtype, data, shape);
    }

    /**
     * The Sprig type an ONNX element type is read as (FLOAT16 and BFLOAT16 as FLOAT), or null when
     * Sprig cannot hold it.
     */
    public static DType runtimeType(int onnxCode) {
        if (onnxCode == FLOAT16 || onnxCode == BFLOAT16) {
            return DType.FLOAT;
        }
        for (DType t : DType.values()) {
            if (t.onnxCode() == onnxCode) {
                return t;
            }
        }
        return null;
    }

    /** The ONNX name of an element type code, e.g. {@code DOUBLE} for 11; {@code UNKNOWN} when out of range. */
    public static String typeName(int onnxCode) {
        TensorProto.DataType t = TensorProto.DataType.forNumber(onnxCode);
        return t == null ? "UNKNOWN" : t.name();
    }

    /**
     * The float with the value of IEEE 754 binary16 bits {@code h} (low 16 bits used). Exact:
     * normal halves re-bias the exponent, subnormals are {@code m * 2^-24}, infinities and NaNs
     * keep sign and payload.
     */
    static float halfToFloat(int h) {
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | mantissa << 13);
        }
        if (exponent == 0) {
            // subnormal or zero: mantissa * 2^-24 is exact in float (10 bits times a power of two)
            float magnitude = mantissa * 0x1p-24f;
            return sign != 0 ? -magnitude : magnitude;
        }
        // normal: exponent bias 15 -> 127, mantissa 10 -> 23 bits
        return Float.intBitsToFloat(sign | (exponent - 15 + 127) << 23 | mantissa << 13);
    }

    /** The float with the value of bfloat16 bits {@code b}: bfloat16 is the top half of a float. */
    static float bfloat16ToFloat(int b) {
        return Float.intBitsToFloat((b & 0xFFFF) << 16);
    }

    private static Object fromRaw(ByteBuffer raw, int code, int n, Shape shape, String what) {
        ByteBuffer le = raw.slice().order(ByteOrder.LITTLE_ENDIAN);
        int width = rawWidth(code);
        if ((long) n * width != le.remaining()) {
            throw new ModelLoadException(what + ": shape " + shape + " of " + typeName(code) + " needs " + (long) n * width
                    + " bytes of data (" + n + " elements x " + width + "), found " + le.remaining());
        }
        switch (code) {
            case 1 -> {
                float[] f = new float[n];
                le.asFloatBuffer().get(f);
                return f;
            }
            case 2, 3 -> {
                byte[] b = new byte[n];
                le.get(b);
                return b;
            }
            case 6 -> {
                int[] v = new int[n];
                le.asIntBuffer().get(v);
                return v;
            }
            case 7 -> {
                long[] v = new long[n];
                le.asLongBuffer().get(v);
                return v;
            }
            case 9 -> {
                boolean[] v = new boolean[n];
                for (int i = 0; i < n; i++) {
                    v[i] = le.get(i) != 0;
                }
                return v;
            }
            case FLOAT16, BFLOAT16 -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    int bits = le.getShort(2 * i) & 0xFFFF;
                    f[i] = code == FLOAT16 ? halfToFloat(bits) : bfloat16ToFloat(bits);
                }
                return f;
            }
            default -> throw new IllegalStateException("unhandled element type " + code);
        }
    }

    private static Object fromTypedField(TensorProto proto, int code, int n, Shape shape, String what) {
        switch (code) {
            case 1 -> {
                checkCount(proto.getFloatDataCount(), n, "float_data", shape, what);
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = proto.getFloatData(i);
                }
                return f;
            }
            case 7 -> {
                checkCount(proto.getInt64DataCount(), n, "int64_data", shape, what);
                return toLongArray(proto.getInt64DataList());
            }
            case 6 -> {
                checkCount(proto.getInt32DataCount(), n, "int32_data", shape, what);
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = proto.getInt32Data(i);
                }
                return v;
            }
            case 2, 3 -> {
                checkCount(proto.getInt32DataCount(), n, "int32_data", shape, what);
                int min = code == 2 ? 0 : Byte.MIN_VALUE;
                int max = code == 2 ? 255 : Byte.MAX_VALUE;
                byte[] b = new byte[n];
                for (int i = 0; i < n; i++) {
                    int v = proto.getInt32Data(i);
                    if (v < min || v > max) {
                        throw new ModelLoadException(what + ": int32_data[" + i + "] = " + v + " is outside the "
                                + typeName(code) + " range [" + min + ", " + max + "]");
                    }
                    b[i] = (byte) v;
                }
                return b;
            }
            case 9 -> {
                checkCount(proto.getInt32DataCount(), n, "int32_data", shape, what);
                boolean[] v = new boolean[n];
                for (int i = 0; i < n; i++) {
                    v[i] = proto.getInt32Data(i) != 0;
                }
                return v;
            }
            case FLOAT16, BFLOAT16 -> {
                // the 16 bits of each value are stored in an int32 element
                checkCount(proto.getInt32DataCount(), n, "int32_data", shape, what);
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    int bits = proto.getInt32Data(i) & 0xFFFF;
                    f[i] = code == FLOAT16 ? halfToFloat(bits) : bfloat16ToFloat(bits);
                }
                return f;
            }
            default -> throw new IllegalStateException("unhandled element type " + code);
        }
    }

    private static void checkCount(int found, int n, String field, Shape shape, String what) {
        if (found != n) {
            throw new ModelLoadException(what + ": shape " + shape + " needs " + n + " elements, " + field + " has "
                    + found + (found == 0 ? " (and there is no raw_data)" : ""));
        }
    }

    /** Bytes per element in raw_data. */
    private static int rawWidth(int code) {
        return switch (code) {
            case FLOAT16, BFLOAT16 -> 2;
            default -> runtimeType(code).byteSize();
        };
    }

    /**
     * The product of {@code dims}, or a {@link ModelLoadException} for a negative dimension; a product
     * past {@link Long#MAX_VALUE} is reported as {@code Long.MAX_VALUE} (more than any limit).
     */
    private static long elementCount(long[] dims, String what) {
        long n = 1;
        boolean empty = false;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new ModelLoadException(what + " has an invalid shape: dimension " + i + " of "
                        + Arrays.toString(dims) + " is negative");
            }
            if (dims[i] == 0) {
                empty = true;
            } else if (n > Long.MAX_VALUE / dims[i]) {
                n = Long.MAX_VALUE;
            } else if (n != Long.MAX_VALUE) {
                n *= dims[i];
            }
        }
        return empty ? 0 : n;
    }

    /**
     * Reads a whole file of at most the budget's bytes: its size is checked before anything is
     * read, and only regular files are read (a FIFO or device could stream forever).
     */
    static byte[] readBounded(Path file, String role, LoadBudget budget) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new ModelLoadException("cannot read " + role + " " + file + ": "
                        + (Files.exists(file) ? "not a regular file" : "no such file"));
            }
            long size = Files.size(file);
            if (size > Integer.MAX_VALUE - 8) {
                throw new ModelLoadException(role + " " + file + " has " + size + " bytes; a protobuf file can have"
                        + " at most 2 GiB (larger models keep their weights in external data)");
            }
            budget.chargeBytes(size, role + " " + file);
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                // the file may grow between the size check and the read: read no more than was charged
                bytes = in.readNBytes((int) size);
            }
            if (bytes.length != size) {
                throw new ModelLoadException(role + " " + file + " changed while being read (" + size + " bytes"
                        + " expected, " + bytes.length + " read)");
            }
            return bytes;
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + role + " " + file + ": " + e.getMessage(), e);
        }
    }

    private static ByteBuffer readExternal(TensorProto proto, Path baseDir, String what, long expected,
                                           LoadBudget budget) {
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : proto.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = parseNonNegative(e.getValue(), "offset", what);
                case "length" -> length = parseNonNegative(e.getValue(), "length", what);
                default -> {
                    // checksum and future keys do not change where the bytes are
                }
            }
        }
        if (location == null || location.isEmpty()) {
            throw new ModelLoadException(what + " has external data without a 'location'");
        }
        if (baseDir == null) {
            throw new ModelLoadException(what + " has its data in external file '" + location
                    + "', but the model was loaded from bytes without a directory");
        }
        Path file = resolveInside(baseDir, location, what);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (offset > size) {
                throw new ModelLoadException(what + ": external data offset " + offset + " is beyond the end of '"
                        + location + "' (" + size + " bytes)");
            }
            long len = length < 0 ? size - offset : length;
            if (len > size - offset) {
                throw new ModelLoadException(what + ": external data [" + offset + ", " + (offset + len) + ") is beyond"
                        + " the end of '" + location + "' (" + size + " bytes)");
            }
            if (len != expected) {
                // checked before reading: a small tensor must not make the loader read a large file
                throw new ModelLoadException(what + ": " + typeName(proto.getDataType()) + " shape "
                        + proto.getDimsList() + " needs " + expected + " bytes of data, found " + len
                        + " in the external range [" + offset + ", " + (offset + len) + ") of '" + location + "'");
            }
            if (len > Integer.MAX_VALUE - 8) {
                throw new ModelLoadException(what + ": external data of " + len + " bytes is larger than Sprig can"
                        + " hold in one buffer");
            }
            budget.chargeBytes(len, what + " (external data '" + location + "')");
            ByteBuffer buf = ByteBuffer.allocate((int) len);
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) {
                    throw new ModelLoadException(what + ": external file '" + location + "' ended early");
                }
            }
            return buf.flip();
        } catch (IOException e) {
            throw new ModelLoadException(what + ": cannot read external data file " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code location} resolved in {@code baseDir}; it must be relative and stay inside the directory. */
    private static Path resolveInside(Path baseDir, String location, String what) {
        Path rel;
        try {
            rel = baseDir.getFileSystem().getPath(location);
        } catch (RuntimeException e) {
            throw new ModelLoadException(what + ": external data location '" + location + "' is not a valid path", e);
        }
        if (rel.isAbsolute() || location.startsWith("/") || location.startsWith("\\")) {
            throw new ModelLoadException(what + ": external data location '" + location
                    + "' is absolute; it must be relative to the model's directory " + baseDir);
        }
        Path base = baseDir.toAbsolutePath().normalize();
        Path file = base.resolve(rel).normalize();
        if (!file.startsWith(base) || file.equals(base)) {
            throw new ModelLoadException(what + ": external data location '" + location
                    + "' points outside the model's directory " + base);
        }
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException(what + ": external data file '" + location + "' does not exist in " + base);
        }
        try {
            // a symbolic link inside the directory must not lead out of it either
            if (!file.toRealPath().startsWith(base.toRealPath())) {
                throw new ModelLoadException(what + ": external data location '" + location
                        + "' links outside the model's directory " + base);
            }
        } catch (IOException e) {
            throw new ModelLoadException(what + ": cannot resolve external data file " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    private static long parseNonNegative(String s, String key, String what) {
        try {
            long v = Long.parseLong(s.trim());
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the same message as a negative value
        }
        throw new ModelLoadException(what + ": external data '" + key + "' must be a non-negative integer, got '" + s + "'");
    }

    private static long[] toLongArray(List<Long> values) {
        long[] out = new long[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
