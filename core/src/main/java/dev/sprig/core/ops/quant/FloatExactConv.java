package dev.sprig.core.ops.quant;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.conv.Conv2d;
import dev.sprig.kernels.conv.Conv2dShape;
import dev.sprig.kernels.conv.Conv2dWeights;
import dev.sprig.kernels.gemm.Epilogue;

/**
 * A depthwise integer convolution's exact INT32 sums computed by the FP32 depthwise kernel. The
 * operands {@code x - x_zero_point} and {@code w - w_zero_point} are integers, and when the taps
 * times the largest |x - x_zero_point| times the largest |w - w_zero_point| is at most 2^24, every
 * partial sum, in any order and with FMA, is an integer that a float holds exactly: the result is
 * the exact sum, not an approximation of it.
 *
 * <p>Why: the integer GEMM runs a depthwise conv as one single-column GEMM per channel, with an
 * im2col and a transposition around each; on shufflenet-v2-12-int8 that made QLinearConv 76% of a
 * 100 ms run. The FP32 depthwise kernel computes the plane directly; its filters (9 floats per
 * channel for 3x3) cost nothing next to the model. Depthwise only: for the other convolutions a
 * float copy of the filters would cost four times the INT8 weights' memory.
 */
final class FloatExactConv {

    /** Integers of magnitude up to 2^24 are exact in float; so is every partial sum below it. */
    private static final long EXACT_LIMIT = 1L << 24;

    private final Conv2dWeights filters;
    private final int taps;
    private final int maxAbsWeight;

    private FloatExactConv(Conv2dWeights filters, int taps, int maxAbsWeight) {
        this.filters = filters;
        this.taps = taps;
        this.maxAbsWeight = maxAbsWeight;
    }

    /**
     * The float filters {@code w - wZero[m]} of a depthwise filter tensor (M x 1 x KH x KW, or
     * M x 1 x KW), or null when w is not depthwise for {@code groups}.
     */
    static FloatExactConv depthwise(Tensor w, int[] wZero, int groups) {
        int[] d = w.shape().dims();
        if (d[1] != 1 || d[0] != groups || groups < 2) {
            return null;
        }
        int kh = d.length == 4 ? d[2] : 1;
        int kw = d[d.length - 1];
        int taps = kh * kw;
        Tensor c = w.contiguous();
        byte[] b = c.byteData();
        boolean signed = QuantType.signed(w.dtype());
        float[] f = new float[d[0] * taps];
        int maxAbs = 0;
        for (int i = 0; i < f.length; i++) {
            int v = (signed ? b[c.offset() + i] : b[c.offset() + i] & 0xFF) - wZero[wZero.length == 1 ? 0 : i / taps];
            f[i] = v;
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        return new FloatExactConv(Conv2dWeights.pack(d[0], 1, kh, kw, groups, f, 0), taps, maxAbs);
    }

    /** True when the sums of this conv over inputs of {@code xType} with {@code xZero} are exact in float. */
    boolean exactFor(DType xType, int xZero) {
        int maxAbsX = QuantType.signed(xType) ? Math.max(xZero + 128, 127 - xZero) : Math.max(xZero, 255 - xZero);
        return (long) taps * maxAbsX * maxAbsWeight <= EXACT_LIMIT;
    }

    /**
     * The exact sums {@code conv(x - xZero, w - wZero)} as integer-valued floats, NCHW (one row of
     * OH*OW values per image and channel).
     */
    float[] accumulate(Conv2dShape s, Tensor x, int xZero, ThreadPool pool) {
        Tensor c = x.contiguous();
        byte[] b = c.byteData();
        int off = c.offset();
        float[] xf = new float[c.size()];
        if (QuantType.signed(x.dtype())) {
            for (int i = 0; i < xf.length; i++) {
                xf[i] = b[off + i] - xZero;
            }
        } else {
            for (int i = 0; i < xf.length; i++) {
                xf[i] = (b[off + i] & 0xFF) - xZero;
            }
        }
        float[] acc = new float[s.outputSize()];
        Conv2d.conv2d(s, xf, 0, filters, acc, 0, Epilogue.NONE, pool);
        return acc;
    }
}
