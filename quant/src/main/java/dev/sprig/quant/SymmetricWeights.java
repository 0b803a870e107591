package dev.sprig.quant;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;

/**
 * Symmetric INT8 weights: per channel along {@code axis} (or per tensor),
 * {@code scale = max|w| / 127}, {@code q = round_half_even(w / scale)} in [-127, 127] (-128 is
 * left out so that negating a weight never overflows and the integer kernels may pair-sum
 * products). An all-zero channel gets scale 1.
 *
 * @param values INT8 tensor of the weight's shape
 * @param scales one scale per channel along {@code axis}, or one for the whole tensor
 * @param axis   the channel axis (normalised), or -1 for per-tensor scales
 */
public record SymmetricWeights(Tensor values, float[] scales, int axis) {

    /** Largest quantized magnitude. */
    public static final int QMAX = 127;

    /** Quantizes FLOAT {@code w} with one scale per index of {@code axis} (negative counts from the end). */
    public static SymmetricWeights perChannel(Tensor w, int axis) {
        return quantize(w, w.shape().normalizeAxis(axis));
    }

    /** Quantizes FLOAT {@code w} with one scale for the whole tensor. */
    public static SymmetricWeights perTensor(Tensor w) {
        return quantize(w, -1);
    }

    private static SymmetricWeights quantize(Tensor w, int ax) {
        if (w.dtype() != DType.FLOAT) {
            throw new IllegalArgumentException("weights must be FLOAT to quantize, got " + w.dtype());
        }
        Tensor c = w.contiguous();
        float[] x = c.floatData();
        int off = c.offset();
        int n = c.size();
        int[] dims = c.shape().dims();
        int channels = 1;
        int inner = n;
        if (ax >= 0) {
            channels = dims[ax];
            inner = 1;
            for (int d = ax + 1; d < dims.length; d++) {
                inner *= dims[d];
            }
        }
        float[] absMax = new float[channels];
        for (int i = 0; i < n; i++) {
            int ch = (i / inner) % channels;
            absMax[ch] = Math.max(absMax[ch], Math.abs(x[off + i]));
        }
        float[] scales = new float[channels];
        for (int ch = 0; ch < channels; ch++) {
            scales[ch] = absMax[ch] == 0 ? 1f : absMax[ch] / QMAX;
        }
        byte[] q = new byte[n];
        for (int i = 0; i < n; i++) {
            float s = scales[(i / inner) % channels];
            // x / s in float, as QuantizeLinear computes it, then round half to even
            double r = Math.rint(x[off + i] / s);
            q[i] = (byte) Math.max(-QMAX, Math.min(QMAX, r));
        }
        return new SymmetricWeights(Tensor.wrap(DType.INT8, q, c.shape()), scales, ax);
    }

    /** The dequantized weights {@code q * scale} (what DequantizeLinear computes, in float). */
    public Tensor dequantize() {
        byte[] q = values.byteData();
        int[] dims = values.shape().dims();
        int inner = 1;
        if (axis >= 0) {
            for (int d = axis + 1; d < dims.length; d++) {
                inner *= dims[d];
            }
        } else {
            inner = q.length == 0 ? 1 : q.length;
        }
        float[] out = new float[q.length];
        for (int i = 0; i < q.length; i++) {
            out[i] = q[i] * scales[(i / inner) % scales.length];
        }
        return Tensor.wrap(DType.FLOAT, out, values.shape());
    }
}
