package dev.sprig.quant;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;

/** The running mean of a FLOAT tensor per index of one axis (an output channel) over many tensors. */
final class ChannelMeans {

    private final int axis;
    private double[] sums;
    private long perChannel;

    /** Means along {@code axis} (negative counts from the end). */
    ChannelMeans(int axis) {
        this.axis = axis;
    }

    void add(Tensor t) {
        if (t.dtype() != DType.FLOAT) {
            throw new IllegalArgumentException("channel means need a FLOAT tensor, got " + t.dtype());
        }
        Tensor c = t.contiguous();
        int ax = c.shape().normalizeAxis(axis);
        int[] dims = c.shape().dims();
        int channels = dims[ax];
        int inner = 1;
        for (int d = ax + 1; d < dims.length; d++) {
            inner *= dims[d];
        }
        if (sums == null) {
            sums = new double[channels];
        } else if (sums.length != channels) {
            throw new IllegalArgumentException("tensor " + c.shape() + " has " + channels + " channels on axis " + ax
                    + ", earlier ones had " + sums.length);
        }
        float[] x = c.floatData();
        int off = c.offset();
        int n = c.size();
        for (int i = 0; i < n; i++) {
            sums[(i / inner) % channels] += x[off + i];
        }
        perChannel += channels == 0 ? 0 : n / channels;
    }

    /** The mean per channel (empty before any tensor). */
    double[] means() {
        if (sums == null) {
            return new double[0];
        }
        double[] m = new double[sums.length];
        for (int c = 0; c < m.length; c++) {
            m[c] = perChannel == 0 ? 0 : sums[c] / perChannel;
        }
        return m;
    }
}
