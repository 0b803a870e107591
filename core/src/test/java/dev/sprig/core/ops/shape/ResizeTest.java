package dev.sprig.core.ops.shape;

import static dev.sprig.core.ops.shape.OpHarness.assertSame;
import static dev.sprig.core.ops.shape.OpHarness.longs;
import static dev.sprig.core.ops.shape.OpHarness.next;
import static dev.sprig.core.ops.shape.OpHarness.random;
import static dev.sprig.core.ops.shape.OpHarness.run1;
import static dev.sprig.core.ops.shape.OpHarness.set;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Attribute;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Resize and Upsample against hand-computed values and the per-axis definitions. */
class ResizeTest {

    private static final Tensor X22 = Tensor.of(new float[]{1, 2, 3, 4}, 1, 1, 2, 2);

    @Test
    void bilinearHalfPixelUpsampleMatchesHandComputedValues() {
        // half_pixel x2: x_original = (o + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25, clamped at the edges
        Tensor y = run1("Resize", 13, List.of(Attribute.of("mode", "linear")), X22, null,
                Tensor.of(new float[]{1, 1, 2, 2}, 4));
        assertArrayEquals(new double[]{1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4},
                y.toDoubleArray(), 1e-6);
    }

    @Test
    void alignCornersKeepsTheCornerValues() {
        Tensor y = run1("Resize", 11, List.of(Attribute.of("mode", "linear"),
                Attribute.of("coordinate_transformation_mode", "align_corners")), X22, Tensor.of(new float[0], 0),
                Tensor.of(new float[0], 0), longs(1, 1, 3, 3));
        assertArrayEquals(new double[]{1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4}, y.toDoubleArray(), 1e-6);
    }

    @Test
    void nearestUpsampleOfEveryDtypeRepeatsElements() {
        Random r = new Random(21);
        for (DType dtype : DType.values()) {
            Tensor x = random(dtype, new int[]{2, 3, 2}, r);
            Tensor scales = Tensor.of(new float[]{1, 2, 3}, 3);
            Tensor resize10 = run1("Resize", 10, List.of(), x, scales);
            Tensor upsample = run1("Upsample", 9, List.of(), x, scales);
            Tensor upsample7 = run1("Upsample", 7, List.of(Attribute.of("scales", new float[]{1, 2, 3})), x);
            Tensor asymmetricFloor = run1("Resize", 19, List.of(Attribute.of("coordinate_transformation_mode",
                    "asymmetric"), Attribute.of("nearest_mode", "floor")), x, null, scales);
            Tensor expected = Tensor.zeros(dtype, Shape.of(2, 6, 6));
            int[] o = new int[3];
            for (int i = 0; i < expected.size(); i++) {
                set(expected, o, x, new int[]{o[0], o[1] / 2, o[2] / 3});
                next(o, expected.shape().dims());
            }
            assertSame(expected, resize10, "Resize-10 nearest " + dtype);
            assertSame(expected, upsample, "Upsample-9 " + dtype);
            assertSame(expected, upsample7, "Upsample-7 " + dtype);
            assertSame(expected, asymmetricFloor, "Resize-19 asymmetric floor " + dtype);
        }
    }

    @Test
    void nearestRoundingModesPickTheSpecifiedNeighbour() {
        Tensor x = Tensor.of(new float[]{10, 20, 30, 40}, 4);
        // sizes 8 with asymmetric: x_original = o / 2 = 0, 0.5, 1, 1.5, ...
        assertArrayEquals(new double[]{10, 10, 20, 20, 30, 30, 40, 40}, nearest(x, "round_prefer_floor"));
        assertArrayEquals(new double[]{10, 20, 20, 30, 30, 40, 40, 40}, nearest(x, "round_prefer_ceil"));
        assertArrayEquals(new double[]{10, 10, 20, 20, 30, 30, 40, 40}, nearest(x, "floor"));
        assertArrayEquals(new double[]{10, 20, 20, 30, 30, 40, 40, 40}, nearest(x, "ceil"));
    }

    private static double[] nearest(Tensor x, String mode) {
        return run1("Resize", 13, List.of(Attribute.of("coordinate_transformation_mode", "asymmetric"),
                Attribute.of("nearest_mode", mode)), x, null, null, longs(8)).toDoubleArray();
    }

    @Test
    void bilinearOnRandomShapesMatchesTheSeparableDefinition() {
        Random r = new Random(22);
        for (int iter = 0; iter < 60; iter++) {
            int h = 1 + r.nextInt(6);
            int w = 1 + r.nextInt(6);
            int oh = 1 + r.nextInt(9);
            int ow = 1 + r.nextInt(9);
            String mode = List.of("half_pixel", "asymmetric", "align_corners", "pytorch_half_pixel").get(r.nextInt(4));
            Tensor x = random(DType.FLOAT, new int[]{2, 1, h, w}, r);
            Tensor y = run1("Resize", 19, List.of(Attribute.of("mode", "linear"),
                    Attribute.of("coordinate_transformation_mode", mode)), x, null, null, longs(2, 1, oh, ow));
            assertEquals(Shape.of(2, 1, oh, ow), y.shape());
            for (int n = 0; n < 2; n++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double yi = source(mode, i, h, oh);
                        double xj = source(mode, j, w, ow);
                        double expected = bilinear(x, n, yi, xj, h, w);
                        assertEquals(expected, y.getDouble(n, 0, i, j), 1e-3,
                                mode + " " + h + "x" + w + " -> " + oh + "x" + ow + " at " + i + "," + j);
                    }
                }
            }
        }
    }

    /** The spec's coordinate transformation with sizes (scale = out / in). */
    private static double source(String mode, int o, int in, int out) {
        double scale = (double) out / in;
        return switch (mode) {
            case "half_pixel" -> (o + 0.5) / scale - 0.5;
            case "asymmetric" -> o / scale;
            case "align_corners" -> out == 1 ? 0 : o * (in - 1.0) / (out - 1);
            default -> out > 1 ? (o + 0.5) / scale - 0.5 : 0;
        };
    }

    /** Bilinear interpolation with the coordinate clamped into the image. */
    private static double bilinear(Tensor x, int n, double yi, double xj, int h, int w) {
        yi = Math.max(0, Math.min(yi, h - 1));
        xj = Math.max(0, Math.min(xj, w - 1));
        int y0 = (int) Math.floor(yi);
        int x0 = (int) Math.floor(xj);
        int y1 = Math.min(y0 + 1, h - 1);
        int x1 = Math.min(x0 + 1, w - 1);
        double dy = yi - y0;
        double dx = xj - x0;
        return (1 - dy) * ((1 - dx) * x.getDouble(n, 0, y0, x0) + dx * x.getDouble(n, 0, y0, x1))
                + dy * ((1 - dx) * x.getDouble(n, 0, y1, x0) + dx * x.getDouble(n, 0, y1, x1));
    }

    @Test
    void badArgumentsAreReported() {
        assertThrows(IllegalArgumentException.class, () -> run1("Resize", 13, List.of(), X22, null,
                Tensor.of(new float[]{1, 1, 2, 2}, 4), longs(1, 1, 4, 4)));
        assertThrows(IllegalArgumentException.class, () -> run1("Resize", 13, List.of(), X22, null,
                Tensor.of(new float[]{1, 2}, 2)));
        assertThrows(IllegalArgumentException.class, () -> run1("Resize", 13, List.of(Attribute.of("mode", "linear")),
                Tensor.of(new int[]{1, 2}, 2), null, Tensor.of(new float[]{2}, 1)));
        assertThrows(ModelException.class, () -> run1("Resize", 13, List.of(Attribute.of("mode", "bicubic")), X22));
        assertThrows(ModelException.class, () -> run1("Resize", 18, List.of(Attribute.of("antialias", 1L)), X22));
    }
}
