package dev.sprig.core.ops.nn;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;

/** Run-time checks of operator inputs, with messages naming the node, the input and what was wrong. */
final class NnInputs {

    private NnInputs() {
    }

    /** Input {@code i}, which must be present and FLOAT. */
    static Tensor floatInput(String node, String what, Tensor[] inputs, int i) {
        Tensor t = required(node, what, inputs, i);
        if (t.dtype() != DType.FLOAT) {
            throw new IllegalArgumentException(node + ": input " + what + " must be FLOAT, got " + t.dtype() + " "
                    + t.shape());
        }
        return t;
    }

    /** Input {@code i}, which must be present. */
    static Tensor required(String node, String what, Tensor[] inputs, int i) {
        if (i >= inputs.length || inputs[i] == null) {
            throw new IllegalArgumentException(node + ": required input " + what + " (#" + i + ") is missing");
        }
        return inputs[i];
    }

    /** Optional FLOAT input {@code i}: null when omitted. */
    static Tensor optionalFloat(String node, String what, Tensor[] inputs, int i) {
        if (i >= inputs.length || inputs[i] == null) {
            return null;
        }
        return floatInput(node, what, inputs, i);
    }

    /** A FLOAT vector input of exactly {@code n} values, contiguous. */
    static Tensor vector(String node, String what, Tensor t, int n) {
        if (t.dtype() != DType.FLOAT || t.size() != n || t.shape().rank() != 1) {
            throw new IllegalArgumentException(node + ": input " + what + " must be a FLOAT vector of " + n
                    + " values, got " + t.dtype() + " " + t.shape());
        }
        return t.contiguous();
    }
}
