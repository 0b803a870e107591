package dev.sprig.core.ops.quant;

import dev.sprig.core.Shape;

/**
 * Which scale and zero point each element of a QuantizeLinear / DequantizeLinear input uses, for
 * ONNX's three granularities: per tensor (one value), per axis (a vector with one value per index
 * of {@code axis}) and blocked (a tensor of x's rank whose {@code axis} dimension is
 * {@code ceil(D / block_size)}: {@code block_size} consecutive indices of the axis share a value).
 *
 * <p>The input is seen as {@code outer x axisLength x inner} (axes before, on, and after
 * {@code axis}); the parameter of element {@code (o, a, i)} is at
 * {@code o * outerStride + (a / block) * axisStride + i * innerStride}, which covers all three
 * granularities with different strides.
 */
final class ScaleLayout {

    final int outer;
    final int axisLength;
    final int inner;
    private final int block;
    private final int outerStride;
    private final int axisStride;
    private final int innerStride;

    private ScaleLayout(int outer, int axisLength, int inner, int block, int outerStride, int axisStride,
                        int innerStride) {
        this.outer = outer;
        this.axisLength = axisLength;
        this.inner = inner;
        this.block = block;
        this.outerStride = outerStride;
        this.axisStride = axisStride;
        this.innerStride = innerStride;
    }

    /**
     * The layout of a scale of shape {@code scale} for an input of shape {@code x}.
     *
     * @param blockSize 0 for per-tensor or per-axis (decided by the scale's shape), else the block size
     * @throws IllegalArgumentException when the scale's shape fits none of the granularities
     */
    static ScaleLayout of(String node, Shape x, Shape scale, int axis, int blockSize) {
        if (scale.size() == 1 && (scale.rank() <= 1 || blockSize == 0)) {
            return new ScaleLayout(1, 1, x.size(), 1, 0, 0, 0);
        }
        if (x.rank() == 0) {
            throw new IllegalArgumentException(node + ": a scalar input takes a single scale, got " + scale);
        }
        int ax;
        try {
            ax = x.normalizeAxis(axis);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(node + ": axis " + axis + " is out of range for input " + x, e);
        }
        int outer = 1;
        for (int d = 0; d < ax; d++) {
            outer *= x.dim(d);
        }
        int length = x.dim(ax);
        int inner = x.size() == 0 ? 0 : x.size() / Math.max(1, outer * length);
        if (blockSize <= 0) {
            if (scale.rank() != 1 || scale.dim(0) != length) {
                throw new IllegalArgumentException(node + ": a per-axis scale must be a vector of " + length
                        + " values (dimension " + ax + " of input " + x + "), got " + scale
                        + (scale.rank() > 1 ? "; blocked quantization needs the block_size attribute" : ""));
            }
            return new ScaleLayout(outer, length, inner, 1, 0, 1, 0);
        }
        int blocks = Math.ceilDiv(length, blockSize);
        boolean fits = scale.rank() == x.rank();
        for (int d = 0; fits && d < x.rank(); d++) {
            fits = scale.dim(d) == (d == ax ? blocks : x.dim(d));
        }
        if (!fits) {
            throw new IllegalArgumentException(node + ": a blocked scale for input " + x + " with axis " + ax
                    + " and block_size " + blockSize + " must have the input's shape with dimension " + ax + " = ceil("
                    + length + " / " + blockSize + ") = " + blocks + ", got " + scale);
        }
        return new ScaleLayout(outer, length, inner, blockSize, blocks * inner, inner, 1);
    }

    /** Index into the (contiguous) scale and zero point of element {@code (o, a, i)}. */
    int param(int o, int a, int i) {
        return o * outerStride + (a / block) * axisStride + i * innerStride;
    }
}
