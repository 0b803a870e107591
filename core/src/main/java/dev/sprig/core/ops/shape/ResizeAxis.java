package dev.sprig.core.ops.shape;

/**
 * How one axis of a Resize maps output indices to input taps: for output index o, {@code taps}
 * input indices (already clamped to the axis, i.e. edge-padded) with their weights, or
 * {@code outside[o]} when tf_crop_and_resize puts o outside the input (the extrapolation value).
 * Built from the ONNX definitions: the coordinate transformation gives x_original, then the
 * nearest rounding mode or the linear / cubic (optionally antialiased) coefficients.
 */
final class ResizeAxis {

    /** Interpolation kernels. */
    enum Kernel { NEAREST, LINEAR, CUBIC }

    final int inLen;
    final int outLen;
    final int taps;
    final int[] index;
    final double[] weight;
    final boolean[] outside;

    private ResizeAxis(int inLen, int outLen, int taps) {
        this.inLen = inLen;
        this.outLen = outLen;
        this.taps = taps;
        this.index = new int[outLen * taps];
        this.weight = new double[outLen * taps];
        this.outside = new boolean[outLen];
    }

    /** The settings shared by every axis of one Resize node. */
    record Settings(Kernel kernel, String coordinateMode, String nearestMode, double cubicA, boolean excludeOutside,
                    boolean antialias) {
    }

    /**
     * The plan of an axis of {@code inLen} resized to {@code outLen} with scale {@code scale}
     * (out/in when sizes were given) and unrounded output width {@code outWidth} (scale * inLen, or
     * exactly outLen for sizes); {@code roiStart}/{@code roiEnd} are used by tf_crop_and_resize.
     */
    static ResizeAxis plan(Settings s, int inLen, int outLen, double scale, double outWidth, double roiStart,
                           double roiEnd) {
        int taps = switch (s.kernel()) {
            case NEAREST -> 1;
            case LINEAR -> s.antialias() ? 2 - 2 * antialiasStart(1, scale) : 2;
            case CUBIC -> s.antialias() ? 2 - 2 * antialiasStart(2, scale) : 4;
        };
        ResizeAxis p = new ResizeAxis(inLen, outLen, taps);
        for (int o = 0; o < outLen; o++) {
            double x = original(s.coordinateMode(), o, inLen, outLen, scale, outWidth, roiStart, roiEnd);
            if (s.coordinateMode().equals("tf_crop_and_resize") && (x < 0 || x > inLen - 1)) {
                p.outside[o] = true;
                continue;
            }
            int at = o * taps;
            if (s.kernel() == Kernel.NEAREST) {
                p.index[at] = clamp(nearest(s.nearestMode(), x, scale), inLen);
                p.weight[at] = 1;
                continue;
            }
            // the left neighbour f and ratio in (0, 1]: an integer x counts as ratio 1 from x - 1
            double f = Math.floor(x);
            double ratio = x - f;
            if (ratio == 0) {
                f -= 1;
                ratio = 1;
            }
            int first = (int) f + 1 - taps / 2;
            double[] c = coefficients(s, ratio, scale, taps);
            double sum = 0;
            for (int k = 0; k < taps; k++) {
                int i = first + k;
                if (s.excludeOutside() && (i < 0 || i >= inLen)) {
                    c[k] = 0;
                }
                sum += c[k];
            }
            for (int k = 0; k < taps; k++) {
                p.index[at + k] = clamp(first + k, inLen);
                p.weight[at + k] = s.excludeOutside() ? c[k] / sum : c[k];
            }
        }
        return p;
    }

    /** True when the plan copies index o to o on every output index (a resize that changes nothing). */
    boolean isIdentity() {
        if (inLen != outLen) {
            return false;
        }
        for (int o = 0; o < outLen; o++) {
            if (outside[o]) {
                return false;
            }
            for (int k = 0; k < taps; k++) {
                double w = weight[o * taps + k];
                if (w != 0 && (w != 1 || index[o * taps + k] != o)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * x_original of output index o under an ONNX coordinate_transformation_mode. Where the spec
     * writes length_resized, align_corners, pytorch_half_pixel and tf_crop_and_resize use the
     * unrounded {@code outWidth = scale * inLen}, as the ONNX reference implementation (and so the
     * conformance data) does; it is the output length when sizes were given.
     */
    static double original(String mode, int o, int inLen, int outLen, double scale, double outWidth, double roiStart,
                           double roiEnd) {
        return switch (mode) {
            case "half_pixel" -> (o + 0.5) / scale - 0.5;
            case "half_pixel_symmetric" -> {
                double adjustment = outLen / outWidth;
                double center = inLen / 2.0;
                yield center * (1 - adjustment) + (o + 0.5) / scale - 0.5;
            }
            case "pytorch_half_pixel" -> outWidth == 1 ? -0.5 : (o + 0.5) / scale - 0.5;
            case "align_corners" -> outWidth == 1 ? 0 : o * (inLen - 1.0) / (outWidth - 1.0);
            case "asymmetric" -> o / scale;
            case "tf_half_pixel_for_nn" -> (o + 0.5) / scale;
            case "tf_crop_and_resize" -> outWidth == 1
                    ? 0.5 * (roiStart + roiEnd) * (inLen - 1)
                    : roiStart * (inLen - 1) + o * (roiEnd - roiStart) * (inLen - 1) / (outWidth - 1.0);
            default -> throw new IllegalStateException("coordinate mode " + mode);
        };
    }

    /**
     * The nearest input index under an ONNX nearest_mode; "simple" is the rule of Resize-10 and
     * Upsample (before nearest_mode existed): floor when upsampling, ceil when downsampling.
     */
    static int nearest(String mode, double x, double scale) {
        double f = Math.floor(x);
        double ratio = x - f;
        if (mode.equals("simple")) {
            return (int) (scale < 1 ? Math.ceil(x) : f);
        }
        if (ratio == 0) {
            return (int) f;
        }
        boolean up = switch (mode) {
            case "round_prefer_floor" -> ratio > 0.5;
            case "round_prefer_ceil" -> ratio >= 0.5;
            case "floor" -> false;
            case "ceil" -> true;
            default -> throw new IllegalStateException("nearest mode " + mode);
        };
        return (int) f + (up ? 1 : 0);
    }

    /** Weights of the taps first..first+taps-1 around x = f + ratio. */
    private static double[] coefficients(Settings s, double ratio, double scale, int taps) {
        double a = s.cubicA();
        if (s.antialias()) {
            // the kernel stretched by 1/scale when downsampling, normalised to sum 1
            double sc = Math.min(scale, 1.0);
            int start = 1 - taps / 2;
            double[] c = new double[taps];
            double sum = 0;
            for (int k = 0; k < taps; k++) {
                double t = Math.abs((start + k - ratio) * sc);
                c[k] = s.kernel() == Kernel.LINEAR ? Math.clamp(1 - t, 0, 1) : cubic(t, a);
                sum += c[k];
            }
            for (int k = 0; k < taps; k++) {
                c[k] /= sum;
            }
            return c;
        }
        if (s.kernel() == Kernel.LINEAR) {
            return new double[]{1 - ratio, ratio};
        }
        return new double[]{cubic(1 + ratio, a), cubic(ratio, a), cubic(1 - ratio, a), cubic(2 - ratio, a)};
    }

    /** The cubic convolution kernel with parameter a at distance t >= 0 (Keys). */
    private static double cubic(double t, double a) {
        if (t <= 1) {
            return ((a + 2) * t - (a + 3)) * t * t + 1;
        }
        if (t < 2) {
            return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a;
        }
        return 0;
    }

    private static int antialiasStart(int support, double scale) {
        double sc = Math.min(scale, 1.0);
        return (int) Math.floor(-support / sc) + 1;
    }

    private static int clamp(int i, int len) {
        return Math.clamp(i, 0, len - 1);
    }
}
