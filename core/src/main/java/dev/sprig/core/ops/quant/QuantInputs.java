package dev.sprig.core.ops.quant;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;

/**
 * Run-time reads of the scale and zero-point inputs of the quantized operators, with messages
 * that name the node, the input, and what was expected and found.
 */
final class QuantInputs {

    private QuantInputs() {
    }

    /** Input {@code i}, which must be present. */
    static Tensor required(String node, String what, Tensor[] inputs, int i) {
        if (i >= inputs.length || inputs[i] == null) {
            throw new IllegalArgumentException(node + ": required input " + what + " (#" + i + ") is missing");
        }
        return inputs[i];
    }

    /** Input {@code i} or null when omitted. */
    static Tensor optional(Tensor[] inputs, int i) {
        return i < inputs.length ? inputs[i] : null;
    }

    /** A required UINT8 or INT8 input. */
    static Tensor quantized(String node, String what, Tensor[] inputs, int i) {
        Tensor t = required(node, what, inputs, i);
        if (!QuantType.isQuantized(t.dtype())) {
            throw new IllegalArgumentException(node + ": input " + what + " must be UINT8 or INT8, got " + t.dtype()
                    + " " + t.shape());
        }
        return t;
    }

    /** A per-tensor FLOAT scale: one element (rank 0 or a 1-element tensor). */
    static float scalarScale(String node, String what, Tensor[] inputs, int i) {
        Tensor t = required(node, what, inputs, i);
        if (t.dtype() != DType.FLOAT || t.size() != 1) {
            throw new IllegalArgumentException(node + ": " + what + " must be one FLOAT value (per-tensor), got "
                    + t.dtype() + " " + t.shape());
        }
        Tensor c = t.contiguous();
        return c.floatData()[c.offset()];
    }

    /**
     * A per-tensor zero point of type {@code type}: 0 when omitted, else one element of that type.
     */
    static int scalarZeroPoint(String node, String what, Tensor[] inputs, int i, DType type) {
        Tensor t = optional(inputs, i);
        if (t == null) {
            return 0;
        }
        if (t.dtype() != type || t.size() != 1) {
            throw new IllegalArgumentException(node + ": " + what + " must be one " + type + " value (per-tensor), got "
                    + t.dtype() + " " + t.shape());
        }
        Tensor c = t.contiguous();
        return QuantType.value(c.byteData(), c.offset(), QuantType.signed(type));
    }

    /**
     * A FLOAT scale with one value for everything or one per channel: {@code channels} floats
     * (the single value repeated).
     */
    static float[] channelScales(String node, String what, Tensor[] inputs, int i, int channels) {
        Tensor t = required(node, what, inputs, i);
        if (t.dtype() != DType.FLOAT || t.shape().rank() > 1 || (t.size() != 1 && t.size() != channels)) {
            throw new IllegalArgumentException(node + ": " + what + " must be a FLOAT scalar or a vector of "
                    + channels + " values (one per channel), got " + t.dtype() + " " + t.shape());
        }
        Tensor c = t.contiguous();
        float[] out = new float[channels];
        for (int j = 0; j < channels; j++) {
            out[j] = c.floatData()[c.offset() + (t.size() == 1 ? 0 : j)];
        }
        return out;
    }

    /**
     * A zero point of type {@code type} with one value for everything or one per channel:
     * {@code channels} ints (zeros when the input is omitted).
     */
    static int[] channelZeroPoints(String node, String what, Tensor[] inputs, int i, int channels, DType type) {
        Tensor t = optional(inputs, i);
        int[] out = new int[channels];
        if (t == null) {
            return out;
        }
        if (t.dtype() != type || t.shape().rank() > 1 || (t.size() != 1 && t.size() != channels)) {
            throw new IllegalArgumentException(node + ": " + what + " must be a " + type + " scalar or a vector of "
                    + channels + " values (one per channel), got " + t.dtype() + " " + t.shape());
        }
        Tensor c = t.contiguous();
        for (int j = 0; j < channels; j++) {
            out[j] = QuantType.value(c.byteData(), c.offset() + (t.size() == 1 ? 0 : j), QuantType.signed(type));
        }
        return out;
    }
}
