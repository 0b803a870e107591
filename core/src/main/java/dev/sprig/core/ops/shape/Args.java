package dev.sprig.core.ops.shape;

import dev.sprig.core.ModelException;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import java.util.Arrays;

/** Input and axis checks shared by the shape operators, with the messages they report. */
final class Args {

    private Args() {
    }

    /** Input {@code i}, or an error naming it when the node omitted it or the run did not supply it. */
    static Tensor input(Tensor[] inputs, int i, String name) {
        if (i >= inputs.length || inputs[i] == null) {
            throw new IllegalArgumentException("required input " + i + " '" + name + "' is missing");
        }
        return inputs[i];
    }

    /** Input {@code i}, or null when it is omitted. */
    static Tensor optional(Tensor[] inputs, int i) {
        return i < inputs.length ? inputs[i] : null;
    }

    /**
     * {@code axis} normalised into [0, rank): negative axes count from the end when
     * {@code negativeAllowed} (opset 11 on for most ops), else they are an error.
     */
    static int axis(long axis, int rank, boolean negativeAllowed, String what) {
        if (axis < -rank || axis >= rank || (axis < 0 && !negativeAllowed)) {
            String range = negativeAllowed ? "[" + -rank + ", " + (rank - 1) + "]" : "[0, " + (rank - 1) + "]";
            throw new IllegalArgumentException(what + " " + axis + " is out of range " + range + " for rank " + rank);
        }
        return (int) (axis < 0 ? axis + rank : axis);
    }

    /** Several axes normalised into [0, rank), rejecting repeats. */
    static int[] axes(long[] axes, int rank, boolean negativeAllowed, String what) {
        int[] out = new int[axes.length];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < axes.length; i++) {
            out[i] = axis(axes[i], rank, negativeAllowed, what);
            if (seen[out[i]]) {
                throw new IllegalArgumentException(what + " " + Arrays.toString(axes) + " name axis " + out[i]
                        + " twice");
            }
            seen[out[i]] = true;
        }
        return out;
    }

    /** A string attribute that must be one of {@code allowed}: a load-time error naming the node otherwise. */
    static String choice(Node node, String attr, String defaultValue, String... allowed) {
        String v = node.attrString(attr, defaultValue);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw new ModelException(node.describe() + ": attribute " + attr + "='" + v + "' is not supported; expected one of "
                + Arrays.toString(allowed));
    }
}
