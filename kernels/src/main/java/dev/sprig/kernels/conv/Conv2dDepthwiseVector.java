package dev.sprig.kernels.conv;

import dev.sprig.kernels.VectorWidth;
import dev.sprig.kernels.gemm.Epilogue;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API depthwise convolution, 3x3 and 5x5 filters, stride 1 or 2, vectorised along the
 * output row: a vector of outputs accumulates, tap by tap, the filter weight broadcast times the
 * input row loaded at that tap's shift (contiguous, unaligned loads from L1), two vectors at a time
 * so the weight broadcasts are shared; the row's last vector overlaps the one before instead of a
 * scalar tail. Only the columns whose taps reach into the left or right padding take a scalar loop
 * with bounds checks; rows in the top or bottom padding are skipped by narrowing the range of
 * filter rows.
 *
 * <p>Stride 2 computes the row at full resolution (every column) into a per-thread scratch row and
 * keeps the even columns: twice the multiply-adds, but contiguous loads; a strided gather or a
 * deinterleaving shuffle per tap costs more than the FMAs it saves. The vertical stride costs
 * nothing (it only picks the input rows).
 *
 * <p>Every output, vector lane or scalar edge, is the same fused multiply-add chain over the taps
 * inside the image (kh outer, kw inner) followed by the same epilogue as the scalar twin
 * {@link dev.sprig.kernels.reference.Conv2dDepthwise}, so the two agree bitwise.
 */
public final class Conv2dDepthwiseVector implements DepthwiseConvKernel {

    private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    private static final int L = F.length();
    private static final ThreadLocal<float[]> ROW = ThreadLocal.withInitial(() -> new float[0]);

    /** Creates the kernel; the backend holds one. */
    public Conv2dDepthwiseVector() {
    }

    @Override
    public String name() {
        return "Conv2dDepthwiseVector(" + L + " lanes)";
    }

    @Override
    public void plane(Conv2dShape s, float[] x, int xOff, float[] w, int wOff, float[] y, int yOff,
                      Epilogue epilogue, int channel) {
        DepthwiseConvKernel.checkPlane(s, x, xOff, w, wOff, y, yOff, channel);
        int k = s.kernelW();
        int h = s.height();
        int wd = s.width();
        int oh1 = s.outH();
        int ow1 = s.outW();
        int pt = s.padTop();
        int pl = s.padLeft();
        boolean dense = s.strideW() == 1;
        // full-resolution columns a row computes: stride 2 keeps the even ones
        int u1 = dense ? ow1 : 2 * ow1 - 1;
        float[] row = dense ? y : rowBuffer(u1);
        for (int oh = 0; oh < oh1; oh++) {
            int ih0 = oh * s.strideH() - pt;
            // filter rows inside the image; none when the output row sits wholly in the padding
            int khLo = Math.max(0, -ih0);
            int khHi = Math.min(k, h - ih0);
            // start of input row ih0 (filter row 0): may lie outside the plane, only [khLo, khHi) is read
            int xRow = xOff + ih0 * wd;
            int yRow = yOff + oh * ow1;
            int dst = dense ? yRow : 0;
            if (k == 3) {
                row3(x, xRow, wd, w, wOff, khLo, khHi, pl, u1, row, dst);
            } else {
                row5(x, xRow, wd, w, wOff, khLo, khHi, pl, u1, row, dst);
            }
            if (!dense) {
                for (int ow = 0; ow < ow1; ow++) {
                    y[yRow + ow] = row[2 * ow];
                }
            }
            finish(y, yRow, ow1, epilogue, channel, oh * ow1);
        }
    }

    /** Raw sums of one output row of a 3x3 filter at stride 1: {@code dst[dstOff + u]} for u in [0, u1). */
    private static void row3(float[] x, int xRow, int wd, float[] w, int wOff, int khLo, int khHi, int pl, int u1,
                             float[] dst, int dstOff) {
        // columns whose three taps all lie inside the row: u - pl >= 0 and u - pl + 2 <= wd - 1
        int uLo = Math.min(pl, u1);
        int uHi = Math.max(uLo, Math.min(u1, wd - 2 + pl));
        edge(3, x, xRow, wd, w, wOff, khLo, khHi, pl, 0, uLo, dst, dstOff);
        int u = uLo;
        for (; u <= uHi - 2 * L; u += 2 * L) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            for (int kh = khLo; kh < khHi; kh++) {
                int xi = xRow + kh * wd + u - pl;
                int wi = wOff + kh * 3;
                FloatVector w0 = FloatVector.broadcast(F, w[wi]);
                FloatVector w1 = FloatVector.broadcast(F, w[wi + 1]);
                FloatVector w2 = FloatVector.broadcast(F, w[wi + 2]);
                a0 = FloatVector.fromArray(F, x, xi).fma(w0, a0);
                a1 = FloatVector.fromArray(F, x, xi + L).fma(w0, a1);
                a0 = FloatVector.fromArray(F, x, xi + 1).fma(w1, a0);
                a1 = FloatVector.fromArray(F, x, xi + 1 + L).fma(w1, a1);
                a0 = FloatVector.fromArray(F, x, xi + 2).fma(w2, a0);
                a1 = FloatVector.fromArray(F, x, xi + 2 + L).fma(w2, a1);
            }
            a0.intoArray(dst, dstOff + u);
            a1.intoArray(dst, dstOff + u + L);
        }
        for (; u < uHi; u += L) {
            if (u > uHi - L) {
                if (uHi - uLo < L) {
                    break; // interior narrower than a vector: all scalar
                }
                // the last vector overlaps the one before: those columns get the same sums again
                u = uHi - L;
            }
            FloatVector a0 = FloatVector.zero(F);
            for (int kh = khLo; kh < khHi; kh++) {
                int xi = xRow + kh * wd + u - pl;
                int wi = wOff + kh * 3;
                a0 = FloatVector.fromArray(F, x, xi).fma(FloatVector.broadcast(F, w[wi]), a0);
                a0 = FloatVector.fromArray(F, x, xi + 1).fma(FloatVector.broadcast(F, w[wi + 1]), a0);
                a0 = FloatVector.fromArray(F, x, xi + 2).fma(FloatVector.broadcast(F, w[wi + 2]), a0);
            }
            a0.intoArray(dst, dstOff + u);
        }
        // the right padding (and an interior narrower than a vector)
        edge(3, x, xRow, wd, w, wOff, khLo, khHi, pl, u, u1, dst, dstOff);
    }

    /** Raw sums of one output row of a 5x5 filter at stride 1: {@code dst[dstOff + u]} for u in [0, u1). */
    private static void row5(float[] x, int xRow, int wd, float[] w, int wOff, int khLo, int khHi, int pl, int u1,
                             float[] dst, int dstOff) {
        // columns whose five taps all lie inside the row: u - pl >= 0 and u - pl + 4 <= wd - 1
        int uLo = Math.min(pl, u1);
        int uHi = Math.max(uLo, Math.min(u1, wd - 4 + pl));
        edge(5, x, xRow, wd, w, wOff, khLo, khHi, pl, 0, uLo, dst, dstOff);
        int u = uLo;
        for (; u <= uHi - 2 * L; u += 2 * L) {
            FloatVector a0 = FloatVector.zero(F);
            FloatVector a1 = FloatVector.zero(F);
            for (int kh = khLo; kh < khHi; kh++) {
                int xi = xRow + kh * wd + u - pl;
                int wi = wOff + kh * 5;
                FloatVector w0 = FloatVector.broadcast(F, w[wi]);
                FloatVector w1 = FloatVector.broadcast(F, w[wi + 1]);
                FloatVector w2 = FloatVector.broadcast(F, w[wi + 2]);
                FloatVector w3 = FloatVector.broadcast(F, w[wi + 3]);
                FloatVector w4 = FloatVector.broadcast(F, w[wi + 4]);
                a0 = FloatVector.fromArray(F, x, xi).fma(w0, a0);
                a1 = FloatVector.fromArray(F, x, xi + L).fma(w0, a1);
                a0 = FloatVector.fromArray(F, x, xi + 1).fma(w1, a0);
                a1 = FloatVector.fromArray(F, x, xi + 1 + L).fma(w1, a1);
                a0 = FloatVector.fromArray(F, x, xi + 2).fma(w2, a0);
                a1 = FloatVector.fromArray(F, x, xi + 2 + L).fma(w2, a1);
                a0 = FloatVector.fromArray(F, x, xi + 3).fma(w3, a0);
                a1 = FloatVector.fromArray(F, x, xi + 3 + L).fma(w3, a1);
                a0 = FloatVector.fromArray(F, x, xi + 4).fma(w4, a0);
                a1 = FloatVector.fromArray(F, x, xi + 4 + L).fma(w4, a1);
            }
            a0.intoArray(dst, dstOff + u);
            a1.intoArray(dst, dstOff + u + L);
        }
        for (; u < uHi; u += L) {
            if (u > uHi - L) {
                if (uHi - uLo < L) {
                    break; // interior narrower than a vector: all scalar
                }
                // the last vector overlaps the one before: those columns get the same sums again
                u = uHi - L;
            }
            FloatVector a0 = FloatVector.zero(F);
            for (int kh = khLo; kh < khHi; kh++) {
                int xi = xRow + kh * wd + u - pl;
                int wi = wOff + kh * 5;
                a0 = FloatVector.fromArray(F, x, xi).fma(FloatVector.broadcast(F, w[wi]), a0);
                a0 = FloatVector.fromArray(F, x, xi + 1).fma(FloatVector.broadcast(F, w[wi + 1]), a0);
                a0 = FloatVector.fromArray(F, x, xi + 2).fma(FloatVector.broadcast(F, w[wi + 2]), a0);
                a0 = FloatVector.fromArray(F, x, xi + 3).fma(FloatVector.broadcast(F, w[wi + 3]), a0);
                a0 = FloatVector.fromArray(F, x, xi + 4).fma(FloatVector.broadcast(F, w[wi + 4]), a0);
            }
            a0.intoArray(dst, dstOff + u);
        }
        // the right padding (and an interior narrower than a vector)
        edge(5, x, xRow, wd, w, wOff, khLo, khHi, pl, u, u1, dst, dstOff);
    }

    /** Columns [u0, u1) of a row, scalar, skipping taps in the left or right padding. */
    private static void edge(int k, float[] x, int xRow, int wd, float[] w, int wOff, int khLo, int khHi, int pl,
                             int u0, int u1, float[] dst, int dstOff) {
        for (int u = u0; u < u1; u++) {
            int iw0 = u - pl;
            int kwLo = Math.max(0, -iw0);
            int kwHi = Math.min(k, wd - iw0);
            float acc = 0f;
            for (int kh = khLo; kh < khHi; kh++) {
                int xi = xRow + kh * wd + iw0;
                int wi = wOff + kh * k;
                for (int kw = kwLo; kw < kwHi; kw++) {
                    acc = Math.fma(x[xi + kw], w[wi + kw], acc);
                }
            }
            dst[dstOff + u] = acc;
        }
    }

    /** The epilogue over one finished output row, lane for lane {@link Epilogue#apply}. */
    private static void finish(float[] y, int off, int n, Epilogue e, int channel, int col0) {
        if (e.isNone()) {
            return;
        }
        boolean hasBias = e.bias() == Epilogue.Bias.PER_ROW;
        float bias = hasBias ? e.biasData()[e.biasOffset() + channel] : 0f;
        boolean clamp = e.activation() != Epilogue.Activation.NONE;
        // relu is a clip to [0, +Inf): min(x, +Inf) is x, and NaN stays NaN either way
        float lo = e.activation() == Epilogue.Activation.CLIP ? e.min() : 0f;
        float hi = e.activation() == Epilogue.Activation.CLIP ? e.max() : Float.POSITIVE_INFINITY;
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, y, off + i);
            if (hasBias) {
                v = v.add(bias);
            }
            if (clamp) {
                v = v.max(lo).min(hi);
            }
            v.intoArray(y, off + i);
        }
        // scalar tail
        for (; i < n; i++) {
            y[off + i] = e.apply(y[off + i], channel, col0 + i);
        }
    }

    private static float[] rowBuffer(int size) {
        float[] buf = ROW.get();
        if (buf.length < size) {
            buf = new float[size];
            ROW.set(buf);
        }
        return buf;
    }
}
