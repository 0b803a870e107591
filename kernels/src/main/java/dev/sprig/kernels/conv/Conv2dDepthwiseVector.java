package dev.sprig.kernels.conv;

import dev.sprig.kernels.VectorWidth;
import dev.sprig.kernels.gemm.Epilogue;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
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
    /** Lane j takes lane 2j mod L: the even lanes of a vector, twice over (see {@link #evens}). */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(F, j -> (2 * j) % L);
    /** The upper half of the lanes. */
    private static final VectorMask<Float> UPPER = VectorMask.fromLong(F, ((1L << L) - 1) & (-1L << (L / 2)));

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
        // one slot past the row: keepEvens' last vector may read it (into a dropped odd lane)
        float[] row = dense ? y : rowBuffer(u1 + 1);
        for (int oh = 0; oh < oh1; oh++) {
            int ih0 = oh * s.strideH() - pt;
            // filter rows inside the image; none when the output row sits wholly in the padding
            int khLo = Math.max(0, -ih0);
            int khHi = Math.min(k, h - ih0);
            // start of input row ih0 (filter row 0): may lie outside the plane, only [khLo, khHi) is read
            int xRow = xOff + ih0 * wd;
            int yRow = yOff + oh * ow1;
            // stride 2 only: at stride 1 the row-by-row accumulation of row3 ran 2x faster
            // (Conv2dBenchmark 144x56x56 g144, quick runs, AVX2: 5.1 against 2.5 GB/s)
            if (k == 3 && khLo == 0 && khHi == 3 && !dense) {
                row3Stride2Inside(x, xRow, wd, w, wOff, pl, ow1, y, yRow, epilogue, channel, oh * ow1);
                continue;
            }
            int dst = dense ? yRow : 0;
            if (k == 3) {
                row3(x, xRow, wd, w, wOff, khLo, khHi, pl, u1, row, dst);
            } else {
                row5(x, xRow, wd, w, wOff, khLo, khHi, pl, u1, row, dst);
            }
            if (!dense) {
                keepEvens(row, ow1, y, yRow);
            }
            finish(y, yRow, ow1, epilogue, channel, oh * ow1);
        }
    }

    /**
     * One finished output row (sums and epilogue) of a 3x3 stride-2 filter whose three filter rows
     * all lie inside the image (every row but the first and last). The nine weights are broadcast
     * once per row and stay in registers; each vector of outputs is two full-resolution vectors of
     * nine loads and nine FMAs whose even lanes are kept ({@link #evens}). The epilogue is applied
     * before the store: a separate pass reloading the row straddles the unaligned stores (columns
     * start at the left pad) and stalls on store forwarding. Same FMA order per output as
     * {@link #row3}.
     */
    private static void row3Stride2Inside(float[] x, int xRow, int wd, float[] w, int wOff, int pl, int ow1,
                                          float[] y, int yRow, Epilogue e, int channel, int col0) {
        // outputs whose loads stay inside the row, the dropped odd neighbour of the last one too
        int vLo = Math.min((pl + 1) / 2, ow1);
        int vHi = Math.max(vLo, Math.min(ow1, Math.floorDiv(wd - 4 + pl, 2) + 1));
        if (vHi - vLo < L) {
            vHi = vLo; // interior narrower than a vector: all scalar
        }
        edgeOut(x, xRow, wd, w, wOff, pl, 0, vLo, y, yRow, e, channel, col0);
        FloatVector w00 = FloatVector.broadcast(F, w[wOff]);
        FloatVector w01 = FloatVector.broadcast(F, w[wOff + 1]);
        FloatVector w02 = FloatVector.broadcast(F, w[wOff + 2]);
        FloatVector w10 = FloatVector.broadcast(F, w[wOff + 3]);
        FloatVector w11 = FloatVector.broadcast(F, w[wOff + 4]);
        FloatVector w12 = FloatVector.broadcast(F, w[wOff + 5]);
        FloatVector w20 = FloatVector.broadcast(F, w[wOff + 6]);
        FloatVector w21 = FloatVector.broadcast(F, w[wOff + 7]);
        FloatVector w22 = FloatVector.broadcast(F, w[wOff + 8]);
        boolean hasBias = e.bias() == Epilogue.Bias.PER_ROW;
        float bias = hasBias ? e.biasData()[e.biasOffset() + channel] : 0f;
        boolean clamp = e.activation() != Epilogue.Activation.NONE;
        float lo = e.activation() == Epilogue.Activation.CLIP ? e.min() : 0f;
        float hi = e.activation() == Epilogue.Activation.CLIP ? e.max() : Float.POSITIVE_INFINITY;
        // input column of full-resolution output u is u - pl; the three filter rows are wd apart
        int r0 = xRow - pl;
        int r1 = r0 + wd;
        int r2 = r1 + wd;
        for (int ow = vLo; ow < vHi; ow += L) {
            // the last vector overlaps the one before: those outputs are computed again, from the sums
            int o = Math.min(ow, vHi - L);
            FloatVector a = evens(sum9(x, r0, r1, r2, 2 * o, w00, w01, w02, w10, w11, w12, w20, w21, w22),
                    sum9(x, r0, r1, r2, 2 * o + L, w00, w01, w02, w10, w11, w12, w20, w21, w22));
            epilogue(a, hasBias, bias, clamp, lo, hi).intoArray(y, yRow + o);
        }
        edgeOut(x, xRow, wd, w, wOff, pl, vHi, ow1, y, yRow, e, channel, col0);
    }

    /** The 3x3 sums of L full-resolution outputs from u: input rows at r0, r1, r2 (pad already subtracted). */
    private static FloatVector sum9(float[] x, int r0, int r1, int r2, int u,
                                    FloatVector w00, FloatVector w01, FloatVector w02,
                                    FloatVector w10, FloatVector w11, FloatVector w12,
                                    FloatVector w20, FloatVector w21, FloatVector w22) {
        FloatVector a = FloatVector.fromArray(F, x, r0 + u).fma(w00, FloatVector.zero(F));
        a = FloatVector.fromArray(F, x, r0 + u + 1).fma(w01, a);
        a = FloatVector.fromArray(F, x, r0 + u + 2).fma(w02, a);
        a = FloatVector.fromArray(F, x, r1 + u).fma(w10, a);
        a = FloatVector.fromArray(F, x, r1 + u + 1).fma(w11, a);
        a = FloatVector.fromArray(F, x, r1 + u + 2).fma(w12, a);
        a = FloatVector.fromArray(F, x, r2 + u).fma(w20, a);
        a = FloatVector.fromArray(F, x, r2 + u + 1).fma(w21, a);
        return FloatVector.fromArray(F, x, r2 + u + 2).fma(w22, a);
    }

    /** The epilogue on a vector of sums, as {@link #finish} applies it. */
    private static FloatVector epilogue(FloatVector v, boolean hasBias, float bias, boolean clamp, float lo, float hi) {
        if (hasBias) {
            v = v.add(bias);
        }
        if (clamp) {
            v = v.max(lo).min(hi);
        }
        return v;
    }

    /** Outputs [ow0, ow1) of a {@link #row3Stride2Inside} row, scalar: {@link #edge} at column u = 2 ow, then the epilogue. */
    private static void edgeOut(float[] x, int xRow, int wd, float[] w, int wOff, int pl, int ow0, int ow1,
                                float[] y, int yRow, Epilogue e, int channel, int col0) {
        for (int ow = ow0; ow < ow1; ow++) {
            int u = 2 * ow;
            // edge writes dst[dstOff + u]: aim it at y[yRow + ow]
            edge(3, x, xRow, wd, w, wOff, 0, 3, pl, u, u + 1, y, yRow + ow - u);
            y[yRow + ow] = e.apply(y[yRow + ow], channel, col0 + ow);
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

    /**
     * Stride 2: {@code y[yRow + ow] = row[2 * ow]} for ow in [0, ow1), a vector of outputs from two of
     * the full-resolution row ({@link #evens}); the last vector overlaps the one before. Replaced a
     * scalar copy loop. {@code row} holds at least {@code 2 * ow1} floats.
     */
    private static void keepEvens(float[] row, int ow1, float[] y, int yRow) {
        if (ow1 < L) {
            for (int ow = 0; ow < ow1; ow++) {
                y[yRow + ow] = row[2 * ow];
            }
            return;
        }
        for (int ow = 0; ow < ow1; ow += L) {
            int o = Math.min(ow, ow1 - L);
            evens(FloatVector.fromArray(F, row, 2 * o), FloatVector.fromArray(F, row, 2 * o + L))
                    .intoArray(y, yRow + o);
        }
    }

    /** The even lanes of {@code a} then those of {@code b}: one shuffle each and a blend. */
    private static FloatVector evens(FloatVector a, FloatVector b) {
        return a.rearrange(EVEN).blend(b.rearrange(EVEN), UPPER);
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
