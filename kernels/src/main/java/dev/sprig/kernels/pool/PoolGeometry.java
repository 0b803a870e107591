package dev.sprig.kernels.pool;

import dev.sprig.kernels.Ranges;

/**
 * The shape of a 2-D pooling over NCHW planes, with the attributes of ONNX MaxPool/AveragePool:
 * kernel, strides, dilations, explicit pads on all four sides (ONNX order: top, left, bottom,
 * right) and {@code ceil_mode}. Batch and channels do not matter to pooling, only their product
 * {@code planes}: plane p of the input starts at {@code p * height * width}, of the output at
 * {@code p * outHeight() * outWidth()}.
 *
 * <p>Output size per axis (ONNX): {@code (in + padBegin + padEnd - ((k - 1) * d + 1)) / s + 1},
 * rounded down, or up when {@code ceilMode}; with ceilMode a last window that would start in the
 * end padding ({@code (out - 1) * s >= in + padBegin}) is dropped, as the spec says.
 *
 * <p>A window may hold no input element (pads or dilation larger than the input): MaxPool then gives
 * -Inf (the maximum over nothing) and AveragePool without {@code count_include_pad} gives 0/0 = NaN.
 */
public record PoolGeometry(int planes, int height, int width, int kernelH, int kernelW,
                           int strideH, int strideW, int dilationH, int dilationW,
                           int padTop, int padLeft, int padBottom, int padRight, boolean ceilMode) {

    /**
     * Validates every field.
     *
     * @throws IllegalArgumentException naming the bad field, what was expected and what was given;
     *         also when the padded input is smaller than the window or a size overflows an int
     */
    public PoolGeometry {
        atLeast("planes", planes, 0);
        atLeast("height", height, 1);
        atLeast("width", width, 1);
        atLeast("kernelH", kernelH, 1);
        atLeast("kernelW", kernelW, 1);
        atLeast("strideH", strideH, 1);
        atLeast("strideW", strideW, 1);
        atLeast("dilationH", dilationH, 1);
        atLeast("dilationW", dilationW, 1);
        atLeast("padTop", padTop, 0);
        atLeast("padLeft", padLeft, 0);
        atLeast("padBottom", padBottom, 0);
        atLeast("padRight", padRight, 0);
        long outH = outSize("height", height, padTop, padBottom, kernelH, strideH, dilationH, ceilMode);
        long outW = outSize("width", width, padLeft, padRight, kernelW, strideW, dilationW, ceilMode);
        if ((long) planes * height * width > Integer.MAX_VALUE || (long) planes * outH * outW > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("PoolGeometry: planes x height x width must fit in an int array, got "
                    + planes + "x" + height + "x" + width + " -> " + planes + "x" + outH + "x" + outW);
        }
    }

    /** A square kernel with equal strides and pads on every side, no dilation: the common CNN case. */
    public static PoolGeometry square(int planes, int height, int width, int kernel, int stride, int pad,
                                      boolean ceilMode) {
        return new PoolGeometry(planes, height, width, kernel, kernel, stride, stride, 1, 1, pad, pad, pad, pad,
                ceilMode);
    }

    /** The same geometry over another number of planes (to split the planes between threads). */
    public PoolGeometry withPlanes(int newPlanes) {
        return new PoolGeometry(newPlanes, height, width, kernelH, kernelW, strideH, strideW, dilationH, dilationW,
                padTop, padLeft, padBottom, padRight, ceilMode);
    }

    /** Output rows per plane. */
    public int outHeight() {
        return (int) outSize("height", height, padTop, padBottom, kernelH, strideH, dilationH, ceilMode);
    }

    /** Output columns per plane. */
    public int outWidth() {
        return (int) outSize("width", width, padLeft, padRight, kernelW, strideW, dilationW, ceilMode);
    }

    /** Input floats: {@code planes * height * width}. */
    public int inputSize() {
        return planes * height * width;
    }

    /** Output floats: {@code planes * outHeight() * outWidth()}. */
    public int outputSize() {
        return planes * outHeight() * outWidth();
    }

    /** Checks both arrays before a kernel touches them; {@code kernel} names the caller in the message. */
    public void checkArrays(String kernel, float[] x, int xOff, float[] y, int yOff) {
        Ranges.check(kernel + " x", xOff, inputSize(), x.length);
        Ranges.check(kernel + " y", yOff, outputSize(), y.length);
    }

    /**
     * Checks the arguments of a global pool: {@code planes >= 0}, {@code planeSize >= 1}, and both
     * arrays long enough ({@code planes * planeSize} inputs, {@code planes} outputs).
     */
    public static void checkGlobal(String kernel, int planes, int planeSize, float[] x, int xOff, float[] y, int yOff) {
        if (planes < 0) {
            throw new IllegalArgumentException(kernel + ": planes must be >= 0, got " + planes);
        }
        if (planeSize < 1) {
            throw new IllegalArgumentException(kernel + ": planeSize must be >= 1, got " + planeSize);
        }
        long n = (long) planes * planeSize;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(kernel + ": planes x planeSize must fit in an int array, got "
                    + planes + "x" + planeSize);
        }
        Ranges.check(kernel + " x", xOff, (int) n, x.length);
        Ranges.check(kernel + " y", yOff, planes, y.length);
    }

    @Override
    public String toString() {
        return "PoolGeometry[planes=" + planes + ", in=" + height + "x" + width + ", kernel=" + kernelH + "x" + kernelW
                + ", strides=" + strideH + "x" + strideW + ", dilations=" + dilationH + "x" + dilationW
                + ", pads(t,l,b,r)=" + padTop + "," + padLeft + "," + padBottom + "," + padRight
                + ", ceilMode=" + ceilMode + ", out=" + outHeight() + "x" + outWidth() + "]";
    }

    private static void atLeast(String field, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException("PoolGeometry: " + field + " must be >= " + min + ", got " + value);
        }
    }

    /** Output size along one axis (ONNX formula, ceil-mode drop rule); fails when no window fits. */
    private static long outSize(String axis, int in, int padBegin, int padEnd, int kernel, int stride, int dilation,
                                boolean ceil) {
        long extent = (long) (kernel - 1) * dilation + 1;
        long span = (long) in + padBegin + padEnd - extent;
        if (span < 0) {
            throw new IllegalArgumentException("PoolGeometry: the padded " + axis + " (" + in + " + pads " + padBegin
                    + " + " + padEnd + ") must be >= the window extent (kernel - 1) * dilation + 1 = " + extent
                    + ", got " + (in + (long) padBegin + padEnd));
        }
        long out = (ceil ? Math.ceilDiv(span, stride) : span / stride) + 1;
        // ceil mode: a window starting inside the end padding would pool padding only
        if (ceil && (out - 1) * stride >= (long) in + padBegin) {
            out--;
        }
        return out;
    }
}
