package dev.sprig.cli;

/**
 * Resamples one image plane with a triangle (bilinear) filter on pixel centres, the filter
 * widened by the reduction factor when shrinking so that every source pixel contributes (plain
 * bilinear sampling would skip pixels and alias). Separable: rows first, then columns. Taps
 * that fall outside the image are dropped and the remaining weights renormalised. Resampling
 * to the same size returns the values unchanged.
 */
final class BilinearResize {

    private BilinearResize() {
    }

    /** {@code src} ({@code sh} rows of {@code sw}) resampled to {@code dh} rows of {@code dw}. */
    static float[] resize(float[] src, int sw, int sh, int dw, int dh) {
        if (src.length != sw * sh) {
            throw new IllegalArgumentException("plane of " + sw + "x" + sh + " needs " + sw * sh + " values, got "
                    + src.length);
        }
        if (sw == dw && sh == dh) {
            return src.clone();
        }
        Taps across = Taps.of(sw, dw);
        float[] rows = new float[sh * dw];
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < dw; x++) {
                rows[y * dw + x] = across.apply(src, y * sw, 1, x);
            }
        }
        Taps down = Taps.of(sh, dh);
        float[] out = new float[dh * dw];
        for (int y = 0; y < dh; y++) {
            for (int x = 0; x < dw; x++) {
                out[y * dw + x] = down.apply(rows, x, dw, y);
            }
        }
        return out;
    }

    /** For each output position along one axis: the first source index and the normalised weights. */
    private record Taps(int[] first, double[][] weights) {

        static Taps of(int in, int out) {
            double scale = (double) in / out;
            // shrinking by f widens the triangle by f, so it covers the f source pixels per output
            double width = Math.max(scale, 1.0);
            int[] first = new int[out];
            double[][] weights = new double[out][];
            for (int o = 0; o < out; o++) {
                double centre = (o + 0.5) * scale;
                int lo = Math.max(0, (int) Math.floor(centre - width));
                int hi = Math.min(in, (int) Math.ceil(centre + width));
                double[] w = new double[hi - lo];
                double sum = 0;
                for (int i = lo; i < hi; i++) {
                    w[i - lo] = Math.max(0, 1 - Math.abs((i + 0.5 - centre) / width));
                    sum += w[i - lo];
                }
                for (int i = 0; i < w.length; i++) {
                    w[i] /= sum;
                }
                first[o] = lo;
                weights[o] = w;
            }
            return new Taps(first, weights);
        }

        float apply(float[] v, int base, int stride, int o) {
            double[] w = weights[o];
            int p = base + first[o] * stride;
            double acc = 0;
            for (double wi : w) {
                acc += wi * v[p];
                p += stride;
            }
            return (float) acc;
        }
    }
}
