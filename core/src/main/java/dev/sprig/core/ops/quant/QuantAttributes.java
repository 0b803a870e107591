package dev.sprig.core.ops.quant;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.graph.Node;

/** Reads and checks the attributes of the quantized operators at load, naming the node on error. */
final class QuantAttributes {

    private QuantAttributes() {
    }

    /** INT attribute as an int, or {@code defaultValue} when absent. */
    static int integer(Node node, String name, int defaultValue) {
        long v = node.attrInt(name, defaultValue);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new ModelException(node.describe() + ": attribute '" + name + "' value " + v + " does not fit an int");
        }
        return (int) v;
    }

    /** INTS attribute as ints whose values are all at least {@code min}; null when absent. */
    static int[] intsAtLeast(Node node, String name, int min) {
        long[] v = node.attrInts(name, null);
        if (v == null) {
            return null;
        }
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] < min || v[i] > Integer.MAX_VALUE) {
                throw new ModelException(node.describe() + ": attribute '" + name + "' values must be in [" + min
                        + ", " + Integer.MAX_VALUE + "], got " + java.util.Arrays.toString(v));
            }
            out[i] = (int) v[i];
        }
        return out;
    }

    /**
     * An attribute naming an ONNX data type that must be UINT8 or INT8 when set (0 or absent: not
     * set, null).
     */
    static DType quantizedType(Node node, String name) {
        long code = node.attrInt(name, 0);
        if (code == 0) {
            return null;
        }
        if (code == DType.UINT8.onnxCode()) {
            return DType.UINT8;
        }
        if (code == DType.INT8.onnxCode()) {
            return DType.INT8;
        }
        throw new ModelException(node.describe() + ": attribute '" + name + "' = " + code
                + " is not supported: Sprig quantizes to UINT8 (2) or INT8 (3)");
    }

    /** An attribute naming an ONNX data type that must be FLOAT (1) when set. */
    static void requireFloatOrUnset(Node node, String name) {
        long code = node.attrInt(name, 0);
        if (code != 0 && code != DType.FLOAT.onnxCode()) {
            throw new ModelException(node.describe() + ": attribute '" + name + "' = " + code
                    + " is not supported: Sprig computes in FLOAT (1) only");
        }
    }

    /** The auto_pad attribute, checked against the four values ONNX defines. */
    static String autoPad(Node node) {
        String p = node.attrString("auto_pad", "NOTSET");
        return switch (p) {
            case "NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID" -> p;
            default -> throw new ModelException(node.describe() + ": attribute 'auto_pad' must be NOTSET, SAME_UPPER,"
                    + " SAME_LOWER or VALID, got '" + p + "'");
        };
    }
}
