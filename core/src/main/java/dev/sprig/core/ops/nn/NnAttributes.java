package dev.sprig.core.ops.nn;

import dev.sprig.core.ModelException;
import dev.sprig.core.graph.Node;

/** Reads the int-valued attributes of the nn operators, rejecting values that do not fit an int. */
final class NnAttributes {

    private NnAttributes() {
    }

    /** INTS attribute as ints, or {@code defaultValue} (may be null) when absent. */
    static int[] ints(Node node, String name, int[] defaultValue) {
        long[] v = node.attrInts(name, null);
        if (v == null) {
            return defaultValue;
        }
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = toInt(node, name, v[i]);
        }
        return out;
    }

    /** INT attribute as an int, or {@code defaultValue} when absent. */
    static int integer(Node node, String name, int defaultValue) {
        return toInt(node, name, node.attrInt(name, defaultValue));
    }

    /** INTS attribute whose values must all be at least {@code min}; null when absent. */
    static int[] intsAtLeast(Node node, String name, int min) {
        int[] v = ints(node, name, null);
        if (v != null) {
            for (int x : v) {
                if (x < min) {
                    throw new ModelException(node.describe() + ": attribute '" + name + "' values must be >= " + min
                            + ", got " + java.util.Arrays.toString(v));
                }
            }
        }
        return v;
    }

    /** A flag attribute (0 or 1). */
    static boolean flag(Node node, String name, boolean defaultValue) {
        long v = node.attrInt(name, defaultValue ? 1 : 0);
        if (v != 0 && v != 1) {
            throw new ModelException(node.describe() + ": attribute '" + name + "' must be 0 or 1, got " + v);
        }
        return v == 1;
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

    private static int toInt(Node node, String name, long v) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new ModelException(node.describe() + ": attribute '" + name + "' value " + v + " does not fit an int");
        }
        return (int) v;
    }
}
