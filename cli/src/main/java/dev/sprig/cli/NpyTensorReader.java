package dev.sprig.cli;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a NumPy {@code .npy} file (format versions 1.0, 2.0 and 3.0) into a {@link Tensor}.
 *
 * <p>The format: the magic {@code \x93NUMPY}, a major and a minor version byte, the header length
 * (little-endian uint16 in 1.0, uint32 in 2.0 and 3.0), then a Python dict literal (latin-1, UTF-8
 * in 3.0) with exactly the keys {@code 'descr'}, {@code 'fortran_order'} and {@code 'shape'},
 * padded with spaces and ended by a newline; the raw elements follow.
 *
 * <p>Element types (either byte order): float32 ({@code f4}), float64 ({@code f8}, narrowed to
 * FLOAT: Sprig has no double tensors), float16 ({@code f2}, widened to FLOAT), int8, uint8, int32,
 * int64 and bool. Fortran-ordered (column-major) data is transposed into Sprig's row-major order.
 */
final class NpyTensorReader {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");
    private static final String SUPPORTED = "f2, f4, f8 (float16/32/64), i1 (int8), u1 (uint8), i4 (int32), "
            + "i8 (int64), b1 (bool), with byte order < or > (| for one-byte types)";

    private NpyTensorReader() {
    }

    /**
     * Reads {@code file}.
     *
     * @throws IllegalArgumentException naming the file and what is wrong (bad magic, unsupported
     *                                  version or dtype, malformed header, byte count not matching the shape)
     * @throws UncheckedIOException     when the file cannot be read
     */
    static Tensor read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": " + (Files.exists(file) ? "not a regular file" : "no such file"));
        }
        try {
            long size = Files.size(file);
            // every element of a Sprig tensor sits in one Java array, and the file is read whole
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(file + ": " + size + " bytes is more than the " + (Integer.MAX_VALUE - 8)
                        + " an .npy input may have");
            }
            return parse(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses the bytes of an .npy file; {@code what} names it in error messages. */
    static Tensor parse(byte[] bytes, String what) {
        if (bytes.length < 10 || !startsWithMagic(bytes)) {
            throw fail(what, "not an .npy file: expected the magic \\x93NUMPY, found " + hex(bytes, 6)
                    + (bytes.length < 10 ? " (" + bytes.length + " bytes in all)" : ""));
        }
        int major = bytes[6] & 0xFF;
        int minor = bytes[7] & 0xFF;
        if (major < 1 || major > 3 || minor != 0) {
            throw fail(what, "unsupported .npy format version " + major + "." + minor + ": expected 1.0, 2.0 or 3.0");
        }
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int lengthField = major == 1 ? 2 : 4;
        if (bytes.length < 8 + lengthField) {
            throw fail(what, "truncated: the version " + major + ".0 header length needs " + lengthField + " bytes after the "
                    + "version, the file ends after " + (bytes.length - 8));
        }
        long headerLength = major == 1 ? le.getShort(8) & 0xFFFF : le.getInt(8) & 0xFFFFFFFFL;
        int headerStart = 8 + lengthField;
        if (headerStart + headerLength > bytes.length) {
            throw fail(what, "truncated header: its length field says " + headerLength + " bytes, "
                    + (bytes.length - headerStart) + " follow");
        }
        String header = new String(bytes, headerStart, (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> dict = new HeaderParser(header, what).dict();
        if (!dict.keySet().equals(KEYS)) {
            throw fail(what, "the header must have exactly the keys 'descr', 'fortran_order' and 'shape', it has "
                    + dict.keySet() + ": " + quoted(header));
        }
        if (!(dict.get("descr") instanceof String descr)) {
            throw fail(what, "'descr' must be a dtype string such as '<f4' (a structured dtype is not supported), got "
                    + quoted(header));
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw fail(what, "'fortran_order' must be True or False: " + quoted(header));
        }
        if (!(dict.get("shape") instanceof int[] dims)) {
            throw fail(what, "'shape' must be a tuple of integers: " + quoted(header));
        }
        ElementType type = ElementType.of(descr, what);
        Shape shape;
        try {
            shape = Shape.of(dims);
        } catch (IllegalArgumentException e) {
            throw fail(what, "shape " + tuple(dims) + ": " + e.getMessage());
        }
        int dataStart = headerStart + (int) headerLength;
        long expected = (long) shape.size() * type.bytes;
        long actual = bytes.length - dataStart;
        if (actual != expected) {
            throw fail(what, (actual < expected ? "truncated data" : "extra bytes after the data") + ": shape "
                    + tuple(dims) + " of '" + descr + "' needs " + expected + " data bytes, the file has " + actual);
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, (int) actual).slice().order(type.order);
        // column-major data is the row-major layout of the reversed shape; read it so, then transpose
        int[] stored = fortran ? reversed(dims) : dims;
        Tensor t = type.decode(data, stored, what);
        if (!fortran || dims.length < 2) {
            return t;
        }
        int[] axes = new int[dims.length];
        for (int a = 0; a < axes.length; a++) {
            axes[a] = axes.length - 1 - a;
        }
        return t.permute(axes).contiguous();
    }

    private static boolean startsWithMagic(byte[] bytes) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /** The dtypes Sprig can hold, with their size and byte order. */
    private record ElementType(char kind, int bytes, ByteOrder order) {

        static ElementType of(String descr, String what) {
            if (descr.length() < 3) {
                throw unsupported(descr, what);
            }
            char endian = descr.charAt(0);
            char kind = descr.charAt(1);
            int size;
            try {
                size = Integer.parseInt(descr.substring(2));
            } catch (NumberFormatException e) {
                throw unsupported(descr, what);
            }
            boolean known = switch (kind) {
                case 'f' -> size == 2 || size == 4 || size == 8;
                case 'i' -> size == 1 || size == 4 || size == 8;
                case 'u', 'b' -> size == 1;
                default -> false;
            };
            // '|' means "byte order not applicable", which only holds for one-byte elements
            boolean orderOk = endian == '<' || endian == '>' || (endian == '|' && size == 1);
            if (!known || !orderOk) {
                throw unsupported(descr, what);
            }
            return new ElementType(kind, size, endian == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        }

        private static IllegalArgumentException unsupported(String descr, String what) {
            return fail(what, "unsupported dtype '" + descr + "': expected one of " + SUPPORTED);
        }

        Tensor decode(ByteBuffer in, int[] dims, String what) {
            int n = Shape.of(dims).size();
            return switch (kind) {
                case 'f' -> {
                    float[] v = new float[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = switch (bytes) {
                            case 2 -> Float.float16ToFloat(in.getShort());
                            case 4 -> in.getFloat();
                            default -> (float) in.getDouble();
                        };
                    }
                    yield Tensor.of(v, dims);
                }
                case 'i' -> switch (bytes) {
                    case 1 -> Tensor.ofInt8(copy(in, n), dims);
                    case 4 -> {
                        int[] v = new int[n];
                        in.asIntBuffer().get(v);
                        yield Tensor.of(v, dims);
                    }
                    default -> {
                        long[] v = new long[n];
                        in.asLongBuffer().get(v);
                        yield Tensor.of(v, dims);
                    }
                };
                case 'u' -> Tensor.ofUint8(copy(in, n), dims);
                case 'b' -> {
                    boolean[] v = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        byte b = in.get();
                        if (b != 0 && b != 1) {
                            throw fail(what, "bool element " + i + " is byte " + (b & 0xFF) + ", expected 0 or 1");
                        }
                        v[i] = b == 1;
                    }
                    yield Tensor.of(v, dims);
                }
                default -> throw new IllegalStateException("unreachable dtype kind " + kind);
            };
        }

        private static byte[] copy(ByteBuffer in, int n) {
            byte[] v = new byte[n];
            in.get(v);
            return v;
        }
    }

    /** A recursive-descent reader of the header's Python literal: a dict of strings, booleans and int tuples. */
    private static final class HeaderParser {
        private final String s;
        private final String what;
        private int pos;

        HeaderParser(String s, String what) {
            this.s = s;
            this.what = what;
        }

        Map<String, Object> dict() {
            Map<String, Object> out = new LinkedHashMap<>();
            expect('{');
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    pos++;
                    break;
                }
                Object key = value();
                if (!(key instanceof String k)) {
                    throw error("a string key");
                }
                expect(':');
                if (out.put(k, value()) != null) {
                    throw fail(what, "the header repeats the key '" + k + "': " + quoted(s));
                }
                skipSpace();
                if (peek() == ',') {
                    pos++;
                } else if (peek() != '}') {
                    throw error("',' or '}'");
                }
            }
            // numpy pads the header with spaces up to its alignment and ends it with a newline
            if (!s.substring(pos).isBlank()) {
                throw error("only padding after the dict");
            }
            return out;
        }

        private Object value() {
            skipSpace();
            char c = peek();
            if (c == '\'' || c == '"') {
                int end = s.indexOf(c, pos + 1);
                if (end < 0) {
                    throw error("a closing " + c);
                }
                String v = s.substring(pos + 1, end);
                pos = end + 1;
                return v;
            }
            if (s.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            if (c == '[') {
                throw fail(what, "structured dtypes (a list of fields in 'descr') are not supported: " + quoted(s));
            }
            if (c == '(') {
                pos++;
                List<Integer> dims = new ArrayList<>();
                while (true) {
                    skipSpace();
                    if (peek() == ')') {
                        pos++;
                        break;
                    }
                    dims.add(dimension());
                    skipSpace();
                    if (peek() == ',') {
                        pos++;
                    } else if (peek() != ')') {
                        throw error("',' or ')' in the shape");
                    }
                }
                return dims.stream().mapToInt(Integer::intValue).toArray();
            }
            throw error("a string, True, False or a tuple");
        }

        private int dimension() {
            int start = pos;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                throw error("a non-negative integer dimension");
            }
            String digits = s.substring(start, pos);
            // Python 2's numpy wrote long dimensions as 3L
            if (peek() == 'L') {
                pos++;
            }
            try {
                return Integer.parseInt(digits);
            } catch (NumberFormatException e) {
                throw fail(what, "dimension " + digits + " is larger than " + Integer.MAX_VALUE + ": " + quoted(s));
            }
        }

        private void expect(char c) {
            skipSpace();
            if (peek() != c) {
                throw error("'" + c + "'");
            }
            pos++;
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private IllegalArgumentException error(String expected) {
            String found = pos < s.length() ? "'" + s.charAt(pos) + "'" : "the end";
            return fail(what, "malformed header: expected " + expected + " at character " + pos + ", found " + found
                    + ": " + quoted(s));
        }
    }

    private static IllegalArgumentException fail(String what, String message) {
        return new IllegalArgumentException(what + ": " + message);
    }

    private static String quoted(String header) {
        String h = header.strip();
        return h.length() > 200 ? h.substring(0, 200) + "..." : h;
    }

    private static String tuple(int[] dims) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(dims[i]);
        }
        return sb.append(dims.length == 1 ? ",)" : ")").toString();
    }

    private static int[] reversed(int[] dims) {
        int[] r = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            r[i] = dims[dims.length - 1 - i];
        }
        return r;
    }

    private static String hex(byte[] bytes, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(n, bytes.length); i++) {
            int b = bytes[i] & 0xFF;
            sb.append(b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02x", b));
        }
        return sb.isEmpty() ? "nothing" : sb.toString();
    }
}
