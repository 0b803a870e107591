package dev.sprig.core.ops.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * MatMulInteger, QLinearMatMul, ConvInteger and QLinearConv against their definitions written as
 * plain loops: exact integer sums of (x - x_zero_point)(w - w_zero_point), padding taps skipped,
 * then (for the QLinear ops) {@code saturate(rint(float(acc + bias) * multiplier) + y_zero_point)}
 * with the FLOAT multiplier {@code x_scale * w_scale / y_scale}. Zero points are 0, 128 (or -128)
 * and random; every case also runs on two threads with pre-packed weights (bitwise equal).
 */
class IntegerProductTest {

    @Test
    void matMulIntegerMatchesTheSum() {
        SplittableRandom r = new SplittableRandom(1);
        for (int trial = 0; trial < 60; trial++) {
            int batch = 1 + r.nextInt(3);
            int m = 1 + r.nextInt(9);
            int k = 1 + r.nextInt(40);
            int n = 1 + r.nextInt(20);
            DType at = r.nextBoolean() ? DType.UINT8 : DType.INT8;
            DType bt = r.nextBoolean() ? DType.UINT8 : DType.INT8;
            Tensor a = random(r, at, batch, m, k);
            Tensor b = random(r, bt, k, n);
            int aZero = zeroPoint(r, at, trial);
            int[] bZero = new int[r.nextBoolean() ? 1 : n];
            for (int j = 0; j < bZero.length; j++) {
                bZero[j] = zeroPoint(r, bt, trial + j);
            }
            Tensor y = QuantNode.op("MatMulInteger", 10).run(a, b, scalar(at, aZero), vector(bt, bZero))[0];
            assertEquals(DType.INT32, y.dtype());
            assertEquals(Shape.of(batch, m, n), y.shape());
            for (int t = 0; t < batch; t++) {
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        long sum = 0;
                        for (int p = 0; p < k; p++) {
                            sum += (a.getLong(t, i, p) - aZero) * (b.getLong(p, j) - bZero[bZero.length == 1 ? 0 : j]);
                        }
                        assertEquals(sum, y.getLong(t, i, j), "trial " + trial + " at " + t + "," + i + "," + j);
                    }
                }
            }
        }
    }

    @Test
    void matMulIntegerBroadcastsBatchesAndTakesPerRowZeroPoints() {
        SplittableRandom r = new SplittableRandom(2);
        Tensor a = random(r, DType.UINT8, 3, 4);
        Tensor b = random(r, DType.INT8, 2, 4, 5);
        byte[] rowZero = {1, (byte) 200, 0};
        Tensor y = QuantNode.op("MatMulInteger", 10).run(a, b, Tensor.ofUint8(rowZero, 3), null)[0];
        assertEquals(Shape.of(2, 3, 5), y.shape());
        for (int t = 0; t < 2; t++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 5; j++) {
                    long sum = 0;
                    for (int p = 0; p < 4; p++) {
                        sum += (a.getLong(i, p) - (rowZero[i] & 0xFF)) * b.getLong(t, p, j);
                    }
                    assertEquals(sum, y.getLong(t, i, j));
                }
            }
        }
    }

    @Test
    void qlinearMatMulRequantizesEachColumn() {
        SplittableRandom r = new SplittableRandom(3);
        for (int trial = 0; trial < 40; trial++) {
            int m = 1 + r.nextInt(6);
            int k = 1 + r.nextInt(50);
            int n = 1 + r.nextInt(12);
            DType at = r.nextBoolean() ? DType.UINT8 : DType.INT8;
            DType bt = DType.INT8;
            DType yt = r.nextBoolean() ? DType.UINT8 : DType.INT8;
            Tensor a = random(r, at, m, k);
            Tensor b = random(r, bt, k, n);
            int aZero = zeroPoint(r, at, trial);
            int bZero = zeroPoint(r, bt, trial + 1);
            int yZero = zeroPoint(r, yt, trial + 2);
            float aScale = (float) r.nextDouble(0.001, 0.1);
            float[] bScale = new float[r.nextBoolean() ? 1 : n];
            for (int j = 0; j < bScale.length; j++) {
                bScale[j] = (float) r.nextDouble(0.001, 0.1);
            }
            float yScale = (float) r.nextDouble(0.01, 0.5);
            Tensor y = QuantNode.op("QLinearMatMul", 10).run(a, Tensor.scalar(aScale), scalar(at, aZero), b,
                    Tensor.of(bScale, bScale.length), scalar(bt, bZero), Tensor.scalar(yScale), scalar(yt, yZero))[0];
            assertEquals(yt, y.dtype());
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    int acc = 0;
                    for (int p = 0; p < k; p++) {
                        acc += (int) ((a.getLong(i, p) - aZero) * (b.getLong(p, j) - bZero));
                    }
                    float multiplier = aScale * bScale[bScale.length == 1 ? 0 : j] / yScale;
                    assertEquals(requantized(acc, multiplier, yZero, yt), y.getLong(i, j), "trial " + trial);
                }
            }
        }
    }

    @Test
    void requantizationTiesGoToEvenAndSaturate() {
        // 1 x 1 products: acc = a, multiplier 0.5 -> 0.5, 1.5, 2.5, -0.5, -1.5, 63.5, -64
        byte[] a = {1, 3, 5, -1, -3, 127, -128};
        Tensor y = QuantNode.op("QLinearMatMul", 10).run(Tensor.ofInt8(a, 7, 1), Tensor.scalar(1f),
                scalar(DType.INT8, 0), Tensor.ofInt8(new byte[]{1}, 1, 1), Tensor.scalar(1f), scalar(DType.INT8, 0),
                Tensor.scalar(2f), scalar(DType.UINT8, 10))[0];
        // 63.5 -> 64 (even) + 10; -64 + 10 saturates to 0
        assertArrayEquals(new double[]{10, 12, 12, 10, 8, 74, 0}, y.toDoubleArray());
        Tensor sat = QuantNode.op("QLinearMatMul", 10).run(Tensor.ofInt8(new byte[]{127, -128}, 2, 1),
                Tensor.scalar(1f), scalar(DType.INT8, 0), Tensor.ofInt8(new byte[]{127}, 1, 1), Tensor.scalar(1f),
                scalar(DType.INT8, 0), Tensor.scalar(1f), scalar(DType.INT8, 0))[0];
        assertArrayEquals(new double[]{127, -128}, sat.toDoubleArray());
    }

    @Test
    void convolutionsMatchTheDirectDefinition() {
        SplittableRandom r = new SplittableRandom(4);
        for (int trial = 0; trial < 80; trial++) {
            int group = r.nextInt(3) == 0 ? 1 + r.nextInt(3) : 1;
            int cg = 1 + r.nextInt(3);
            int mg = 1 + r.nextInt(4);
            int c = cg * group;
            int m = mg * group;
            int n = 1 + r.nextInt(2);
            int h = 1 + r.nextInt(7);
            int w = 1 + r.nextInt(7);
            int kh = 1 + r.nextInt(3);
            int kw = 1 + r.nextInt(3);
            int[] s = {1 + r.nextInt(2), 1 + r.nextInt(2)};
            int[] d = {1 + r.nextInt(2), 1 + r.nextInt(2)};
            int[] pads = {r.nextInt(2), r.nextInt(2), r.nextInt(2), r.nextInt(2)};
            if (h + pads[0] + pads[2] < (kh - 1) * d[0] + 1 || w + pads[1] + pads[3] < (kw - 1) * d[1] + 1) {
                continue;
            }
            DType xt = r.nextBoolean() ? DType.UINT8 : DType.INT8;
            DType wt = r.nextBoolean() ? DType.UINT8 : DType.INT8;
            DType yt = r.nextBoolean() ? DType.UINT8 : DType.INT8;
            Tensor x = random(r, xt, n, c, h, w);
            Tensor wts = random(r, wt, m, cg, kh, kw);
            int xZero = zeroPoint(r, xt, trial);
            int[] wZero = new int[r.nextBoolean() ? 1 : m];
            float[] wScale = new float[r.nextBoolean() ? 1 : m];
            for (int j = 0; j < wZero.length; j++) {
                wZero[j] = zeroPoint(r, wt, trial + j);
            }
            for (int j = 0; j < wScale.length; j++) {
                wScale[j] = (float) r.nextDouble(0.001, 0.05);
            }
            int[] bias = new int[m];
            for (int j = 0; j < m; j++) {
                bias[j] = r.nextInt(-5000, 5000);
            }
            boolean withBias = r.nextBoolean();
            int yZero = zeroPoint(r, yt, trial + 7);
            float xScale = (float) r.nextDouble(0.01, 0.1);
            float yScale = (float) r.nextDouble(0.05, 0.5);
            QuantNode conv = QuantNode.op("ConvInteger", 10).attr("group", group).ints("strides", s)
                    .ints("dilations", d).ints("pads", pads);
            Tensor acc = conv.run(x, wts, scalar(xt, xZero), vector(wt, wZero))[0];
            QuantNode qconv = QuantNode.op("QLinearConv", 10).attr("group", group).ints("strides", s)
                    .ints("dilations", d).ints("pads", pads).ints("kernel_shape", kh, kw);
            Tensor y = qconv.run(x, Tensor.scalar(xScale), scalar(xt, xZero), wts, Tensor.of(wScale, wScale.length),
                    vector(wt, wZero), Tensor.scalar(yScale), scalar(yt, yZero),
                    withBias ? Tensor.of(bias, m) : null)[0];
            int oh = (h + pads[0] + pads[2] - (kh - 1) * d[0] - 1) / s[0] + 1;
            int ow = (w + pads[1] + pads[3] - (kw - 1) * d[1] - 1) / s[1] + 1;
            assertEquals(Shape.of(n, m, oh, ow), acc.shape());
            assertEquals(Shape.of(n, m, oh, ow), y.shape());
            for (int b = 0; b < n; b++) {
                for (int o = 0; o < m; o++) {
                    int g = o / mg;
                    int z = wZero[wZero.length == 1 ? 0 : o];
                    for (int oy = 0; oy < oh; oy++) {
                        for (int ox = 0; ox < ow; ox++) {
                            int sum = 0;
                            for (int ci = 0; ci < cg; ci++) {
                                for (int ky = 0; ky < kh; ky++) {
                                    for (int kx = 0; kx < kw; kx++) {
                                        int iy = oy * s[0] - pads[0] + ky * d[0];
                                        int ix = ox * s[1] - pads[1] + kx * d[1];
                                        if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                            sum += (int) ((x.getLong(b, g * cg + ci, iy, ix) - xZero)
                                                    * (wts.getLong(o, ci, ky, kx) - z));
                                        }
                                    }
                                }
                            }
                            String at = "trial " + trial + " at " + Arrays.toString(new int[]{b, o, oy, ox});
                            assertEquals(sum, acc.getLong(b, o, oy, ox), at);
                            float multiplier = xScale * wScale[wScale.length == 1 ? 0 : o] / yScale;
                            assertEquals(requantized(sum + (withBias ? bias[o] : 0), multiplier, yZero, yt),
                                    y.getLong(b, o, oy, ox), at);
                        }
                    }
                }
            }
        }
    }

    @Test
    void oneDimensionalConvAndSamePadding() {
        SplittableRandom r = new SplittableRandom(6);
        Tensor x = random(r, DType.UINT8, 1, 2, 9);
        Tensor w = random(r, DType.INT8, 3, 2, 3);
        Tensor acc = QuantNode.op("ConvInteger", 10).attr("auto_pad", "SAME_UPPER").ints("strides", 2)
                .run(x, w, scalar(DType.UINT8, 128), null)[0];
        // SAME_UPPER, stride 2, k 3 on 9: 5 outputs, total pad 2 -> 1 before, 1 after
        assertEquals(Shape.of(1, 3, 5), acc.shape());
        for (int o = 0; o < 3; o++) {
            for (int ox = 0; ox < 5; ox++) {
                long sum = 0;
                for (int c = 0; c < 2; c++) {
                    for (int t = 0; t < 3; t++) {
                        int ix = ox * 2 - 1 + t;
                        if (ix >= 0 && ix < 9) {
                            sum += (x.getLong(0, c, ix) - 128) * w.getLong(o, c, t);
                        }
                    }
                }
                assertEquals(sum, acc.getLong(0, o, ox));
            }
        }
    }

    /** saturate(rint(float(acc) * multiplier) + zero): the requantization the spec and ONNX Runtime define. */
    private static long requantized(int acc, float multiplier, int zero, DType type) {
        double q = Math.rint((float) acc * multiplier) + zero;
        return (long) Math.min(type == DType.INT8 ? 127 : 255, Math.max(type == DType.INT8 ? -128 : 0, q));
    }

    /** 0, the middle of the range, or a random value, by trial. */
    private static int zeroPoint(SplittableRandom r, DType t, int trial) {
        boolean signed = t == DType.INT8;
        return switch (trial % 3) {
            case 0 -> 0;
            case 1 -> signed ? -128 : 128;
            default -> signed ? r.nextInt(-128, 128) : r.nextInt(256);
        };
    }

    static Tensor random(SplittableRandom r, DType t, int... dims) {
        byte[] v = new byte[Shape.of(dims).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (byte) r.nextInt(256);
        }
        return Tensor.wrap(t, v, Shape.of(dims));
    }

    static Tensor scalar(DType t, int v) {
        return Tensor.wrap(t, new byte[]{(byte) v}, Shape.scalar());
    }

    static Tensor vector(DType t, int[] v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return Tensor.wrap(t, b, Shape.of(v.length));
    }
}
