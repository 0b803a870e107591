package dev.sprig.prune;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;

/** Copies between FLOAT tensors and plain arrays. */
final class Floats {

    private Floats() {
    }

    /** The elements of a FLOAT tensor in row-major order (a copy). */
    static float[] of(Tensor t) {
        if (t.dtype() != DType.FLOAT) {
            throw new IllegalArgumentException("expected a FLOAT tensor, got " + t.dtype() + " " + t.shape());
        }
        Tensor c = t.contiguous();
        float[] out = new float[c.size()];
        System.arraycopy(c.floatData(), c.offset(), out, 0, out.length);
        return out;
    }
}
