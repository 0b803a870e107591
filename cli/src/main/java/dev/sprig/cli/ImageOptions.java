package dev.sprig.cli;

import java.util.Locale;

/**
 * How an image file becomes an input tensor: the size to resample to, the pixel divisor, the
 * per-channel mean and standard deviation, the layout and the channel count. Null fields are
 * decided from the model input's declared shape (see {@link ImageTensorReader}).
 *
 * @param width     resampled width, or null for the declared (else the image's) width
 * @param height    resampled height, or null likewise
 * @param scale     pixel values 0..255 are divided by this first (null: 255, giving [0, 1])
 * @param mean      subtracted per channel after the division: one value for every channel, or r,g,b (null: 0)
 * @param std       then divided by per channel, likewise (null: 1)
 * @param layout    NCHW or NHWC, or null to follow the declared shape
 * @param grayscale true for one grey channel whatever the model declares
 */
record ImageOptions(Integer width, Integer height, Float scale, float[] mean, float[] std, Layout layout,
                    boolean grayscale) {

    /** Axis order of the image tensor (batch 1 first in both). */
    enum Layout { NCHW, NHWC }

    /** Every choice left to the model's declared input. */
    static ImageOptions defaults() {
        return new ImageOptions(null, null, null, null, null, null, false);
    }

    /**
     * Options from the command line's strings (each may be null when not given).
     *
     * @param resize {@code WxH}, or {@code N} for NxN
     * @param mean   one number, or three separated by commas (r,g,b)
     * @param std    likewise; no value may be 0
     * @param layout {@code nchw} or {@code nhwc}, any case
     * @throws IllegalArgumentException naming the option, what it expects and what it got
     */
    static ImageOptions parse(String resize, Float scale, String mean, String std, String layout, boolean grayscale) {
        Integer w = null;
        Integer h = null;
        if (resize != null) {
            String[] parts = resize.toLowerCase(Locale.ROOT).split("x", -1);
            if (parts.length > 2) {
                throw new IllegalArgumentException("--resize expects WxH or N (e.g. 224x224 or 224), got '" + resize + "'");
            }
            w = positive("--resize", parts[0], resize);
            h = parts.length == 2 ? positive("--resize", parts[1], resize) : w;
        }
        if (scale != null && !(scale > 0 && Float.isFinite(scale))) {
            throw new IllegalArgumentException("--scale must be a positive number (the divisor of 0..255 pixels), got " + scale);
        }
        float[] s = perChannel("--std", std);
        if (s != null) {
            for (float v : s) {
                if (v == 0) {
                    throw new IllegalArgumentException("--std must not be 0, got '" + std + "'");
                }
            }
        }
        Layout l = null;
        if (layout != null) {
            try {
                l = Layout.valueOf(layout.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--layout expects nchw or nhwc, got '" + layout + "'");
            }
        }
        return new ImageOptions(w, h, scale, perChannel("--mean", mean), s, l, grayscale);
    }

    /** True when a pixel normalisation (scale, mean or std) was asked for. */
    boolean normalises() {
        return scale != null || mean != null || std != null;
    }

    /** The divisor of raw pixel values. */
    float divisor() {
        return scale == null ? 255f : scale;
    }

    /** The mean of channel {@code c} of {@code channels}. */
    float mean(int c) {
        return mean == null ? 0f : mean[mean.length == 1 ? 0 : c];
    }

    /** The standard deviation of channel {@code c}. */
    float std(int c) {
        return std == null ? 1f : std[std.length == 1 ? 0 : c];
    }

    private static int positive(String option, String text, String whole) {
        try {
            int v = Integer.parseInt(text.strip());
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below with the whole value
        }
        throw new IllegalArgumentException(option + " expects WxH or N with positive integers (e.g. 224x224 or 224), got '"
                + whole + "'");
    }

    private static float[] perChannel(String option, String text) {
        if (text == null) {
            return null;
        }
        String[] parts = text.split(",", -1);
        if (parts.length != 1 && parts.length != 3) {
            throw new IllegalArgumentException(option + " expects one number or three (r,g,b), got " + parts.length
                    + " in '" + text + "'");
        }
        float[] v = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Float.parseFloat(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " expects numbers (e.g. 0.485,0.456,0.406), got '" + text + "'");
            }
            if (!Float.isFinite(v[i])) {
                throw new IllegalArgumentException(option + " expects finite numbers, got '" + text + "'");
            }
        }
        return v;
    }
}
