package dev.sprig.core;

/**
 * Element types of a {@link Tensor}, with the Java array that stores each and its ONNX
 * {@code TensorProto.DataType} code. UINT8 is stored in a {@code byte[]} and read as
 * {@code b & 0xFF}. FLOAT16 weights are converted to FLOAT when a model is loaded.
 */
public enum DType {
    /** 32-bit IEEE float, in a {@code float[]}. */
    FLOAT(1, 4, float[].class),
    /** Unsigned 8-bit integer 0..255, in a {@code byte[]} read as {@code b & 0xFF}. */
    UINT8(2, 1, byte[].class),
    /** Signed 8-bit integer -128..127, in a {@code byte[]}. */
    INT8(3, 1, byte[].class),
    /** Signed 32-bit integer, in an {@code int[]}. */
    INT32(6, 4, int[].class),
    /** Signed 64-bit integer (ONNX shapes and indices), in a {@code long[]}. */
    INT64(7, 8, long[].class),
    /** Boolean, in a {@code boolean[]}. */
    BOOL(9, 1, boolean[].class);

    private final int onnxCode;
    private final int byteSize;
    private final Class<?> storage;

    DType(int onnxCode, int byteSize, Class<?> storage) {
        this.onnxCode = onnxCode;
        this.byteSize = byteSize;
        this.storage = storage;
    }

    /** The ONNX {@code TensorProto.DataType} number. */
    public int onnxCode() {
        return onnxCode;
    }

    /** Bytes per element (what a model's weights cost in memory). */
    public int byteSize() {
        return byteSize;
    }

    /** The primitive array class holding the elements. */
    public Class<?> storage() {
        return storage;
    }

    /** The type of an ONNX data-type code. */
    public static DType fromOnnx(int code) {
        for (DType t : values()) {
            if (t.onnxCode == code) {
                return t;
            }
        }
        throw new IllegalArgumentException("unsupported ONNX tensor data type " + code
                + ": expected one of FLOAT(1), UINT8(2), INT8(3), INT32(6), INT64(7), BOOL(9)");
    }

    /** A new zero-filled array of {@code n} elements of this type. */
    Object allocate(int n) {
        return switch (this) {
            case FLOAT -> new float[n];
            case UINT8, INT8 -> new byte[n];
            case INT32 -> new int[n];
            case INT64 -> new long[n];
            case BOOL -> new boolean[n];
        };
    }

    /** Length of an array of this type's storage class. */
    int length(Object array) {
        return switch (this) {
            case FLOAT -> ((float[]) array).length;
            case UINT8, INT8 -> ((byte[]) array).length;
            case INT32 -> ((int[]) array).length;
            case INT64 -> ((long[]) array).length;
            case BOOL -> ((boolean[]) array).length;
        };
    }
}
