package dev.sprig.core.ops.nn;

import java.util.Arrays;

/**
 * Max and average pooling over any number of spatial axes by direct window loops, with ONNX
 * semantics (the output size of {@link dev.sprig.kernels.pool.PoolGeometry}, ceil mode dropping a
 * last window that would start in the end padding). It serves what the 2-D kernels do not: 3-D
 * pooling and MaxPool's Indices output. Windows are walked in row-major tap order.
 */
final class NdPooling {

    private NdPooling() {
    }

    /** The output size of one spatial axis; fails when the padded input is smaller than the window. */
    static int outSize(String op, int in, int padBegin, int padEnd, int kernel, int stride, int dilation,
                       boolean ceil) {
        long extent = (long) (kernel - 1) * dilation + 1;
        long span = (long) in + padBegin + padEnd - extent;
        if (span < 0) {
            throw new IllegalArgumentException(op + ": the padded input (" + in + " + " + padBegin + " + " + padEnd
                    + ") is smaller than the dilated window (" + extent + ")");
        }
        long out = (ceil ? Math.ceilDiv(span, stride) : span / stride) + 1;
        if (ceil && (out - 1) * stride >= (long) in + padBegin) {
            out--;
        }
        return (int) out;
    }

    /**
     * Pools {@code planes} planes of spatial shape {@code in} into {@code y} (spatial shape
     * {@code out}). {@code max}: the maximum ({@link Math#max}: NaN wins) and, when {@code indices}
     * is non-null, the row-major flat index of the first maximum in the whole input tensor;
     * otherwise the average, counting padding taps (inside the explicit pads) when
     * {@code countIncludePad}. With {@code columnMajor} (MaxPool's {@code storage_order = 1}) an index
     * counts the spatial position with the first spatial axis fastest:
     * {@code plane * planeSize + h + w * H} in 2-D.
     */
    static void pool(boolean max, boolean countIncludePad, int planes, int[] in, int[] out, int[] kernel,
                     int[] strides, int[] dilations, int[] pads, float[] x, float[] y, long[] indices,
                     boolean columnMajor) {
        int n = in.length;
        int inPlane = 1;
        int outPlane = 1;
        int taps = 1;
        for (int i = 0; i < n; i++) {
            inPlane *= in[i];
            outPlane *= out[i];
            taps *= kernel[i];
        }
        int[] o = new int[n];
        int[] t = new int[n];
        for (int p = 0; p < planes; p++) {
            int xp = p * inPlane;
            Arrays.fill(o, 0);
            for (int j = 0; j < outPlane; j++) {
                float best = Float.NEGATIVE_INFINITY;
                long bestIndex = -1;
                float sum = 0f;
                int count = 0;
                Arrays.fill(t, 0);
                for (int tap = 0; tap < taps; tap++) {
                    boolean inside = true;
                    boolean inPadded = true;
                    int flat = 0;
                    int flatColumnMajor = 0;
                    int axisStride = 1;
                    for (int a = 0; a < n; a++) {
                        int pos = o[a] * strides[a] - pads[a] + t[a] * dilations[a];
                        inside &= pos >= 0 && pos < in[a];
                        inPadded &= pos >= -pads[a] && pos < in[a] + pads[a + n];
                        flat = flat * in[a] + pos;
                        flatColumnMajor += pos * axisStride;
                        axisStride *= in[a];
                    }
                    if (inside) {
                        float v = x[xp + flat];
                        if (max) {
                            // strictly greater keeps the first maximum; NaN always wins, once
                            if (bestIndex < 0 || v > best || (Float.isNaN(v) && !Float.isNaN(best))) {
                                best = v;
                                bestIndex = (long) xp + (columnMajor ? flatColumnMajor : flat);
                            }
                        } else {
                            sum += v;
                        }
                    }
                    if (countIncludePad ? inPadded : inside) {
                        count++;
                    }
                    increment(t, kernel);
                }
                if (max) {
                    y[p * outPlane + j] = best;
                    if (indices != null) {
                        indices[p * outPlane + j] = bestIndex;
                    }
                } else {
                    y[p * outPlane + j] = sum / count;
                }
                increment(o, out);
            }
        }
    }

    private static void increment(int[] idx, int[] dims) {
        for (int a = idx.length - 1; a >= 0; a--) {
            if (++idx[a] < dims[a]) {
                return;
            }
            idx[a] = 0;
        }
    }
}
