package dev.sprig.core.ops.shape;

import static dev.sprig.core.ops.shape.OpHarness.longs;
import static dev.sprig.core.ops.shape.OpHarness.random;
import static dev.sprig.core.ops.shape.OpHarness.run;
import static dev.sprig.core.ops.shape.OpHarness.run1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Attribute;
import dev.sprig.core.ops.OpContext;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Reshape-like views, shape queries, constants, Range and Dropout, with their error messages. */
class ShapeAndViewOpsTest {

    private static final Tensor X234 = Tensor.of(new float[24], 2, 3, 4);

    @Test
    void reshapeCopiesZerosInfersMinusOneAndSharesStorage() {
        Tensor y = run1("Reshape", 13, List.of(), X234, longs(0, -1));
        assertEquals(Shape.of(2, 12), y.shape());
        assertSame(X234.floatData(), y.floatData(), "a contiguous input is reshaped as a view");
        assertEquals(Shape.of(4, 6), run1("Reshape", 5, List.of(), X234, longs(4, -1)).shape());
        assertEquals(Shape.of(2, 3, 4), run1("Reshape", 1, List.of(Attribute.of("shape", new long[]{0, 0, 4})), X234)
                .shape());
        Tensor empty = Tensor.of(new float[0], 0, 3);
        assertEquals(Shape.of(3, 0), run1("Reshape", 14, List.of(Attribute.of("allowzero", 1L)), empty, longs(3, 0))
                .shape());
        // without allowzero the 0 copies the input's dimension 1 (3)
        assertEquals(Shape.of(0, 3), run1("Reshape", 14, List.of(), empty, longs(0, 3)).shape());
    }

    @Test
    void reshapeErrorsNameBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run1("Reshape", 13, List.of(), X234, longs(5, 5)));
        assertTrue(e.getMessage().contains("[2x3x4]") && e.getMessage().contains("[5x5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> run1("Reshape", 13, List.of(), X234, longs(-1, -1)));
        assertTrue(e.getMessage().contains("at most one"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> run1("Reshape", 13, List.of(), X234, longs(5, -1)));
        assertTrue(e.getMessage().contains("[2x3x4]") && e.getMessage().contains("[5, -1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> run1("Reshape", 13, List.of(), X234, longs(-2, 12)));
    }

    @Test
    void reshapeOfAStridedViewCopiesInRowMajorOrder() {
        Tensor view = Tensor.of(new float[]{0, 1, 2, 3, 4, 5}, 2, 3).permute(1, 0);
        Tensor y = run1("Reshape", 13, List.of(), view, longs(6));
        assertArrayEquals(new double[]{0, 3, 1, 4, 2, 5}, y.toDoubleArray());
    }

    @Test
    void flattenSqueezeUnsqueezeGiveTheirShapes() {
        assertEquals(Shape.of(6, 4), run1("Flatten", 13, List.of(Attribute.of("axis", -1L)), X234).shape());
        assertEquals(Shape.of(1, 24), run1("Flatten", 13, List.of(Attribute.of("axis", 0L)), X234).shape());
        assertEquals(Shape.of(24, 1), run1("Flatten", 13, List.of(Attribute.of("axis", 3L)), X234).shape());
        assertEquals(Shape.of(2, 12), run1("Flatten", 1, List.of(), X234).shape());
        assertThrows(IllegalArgumentException.class,
                () -> run1("Flatten", 9, List.of(Attribute.of("axis", -1L)), X234));

        Tensor ones = Tensor.of(new float[6], 1, 2, 1, 3, 1);
        assertEquals(Shape.of(2, 3), run1("Squeeze", 13, List.of(), ones).shape());
        assertEquals(Shape.of(1, 2, 3, 1), run1("Squeeze", 13, List.of(), ones, longs(-3)).shape());
        assertEquals(Shape.of(2, 1, 3), run1("Squeeze", 11, List.of(Attribute.of("axes", new long[]{0, 4})), ones)
                .shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run1("Squeeze", 13, List.of(), ones, longs(1)));
        assertTrue(e.getMessage().contains("size 2"), e.getMessage());

        assertEquals(Shape.of(1, 2, 3, 1, 4), run1("Unsqueeze", 13, List.of(), X234, longs(-2, 0)).shape());
        assertEquals(Shape.of(2, 3, 4, 1), run1("Unsqueeze", 1, List.of(Attribute.of("axes", new long[]{3})), X234)
                .shape());
        assertThrows(IllegalArgumentException.class, () -> run1("Unsqueeze", 13, List.of(), X234, longs(1, 1)));
        assertThrows(IllegalArgumentException.class, () -> run1("Unsqueeze", 13, List.of(), X234, longs(5)));
        Tensor scalar = Tensor.scalar(7f);
        assertEquals(Shape.of(1), run1("Unsqueeze", 13, List.of(), scalar, longs(0)).shape());
    }

    @Test
    void shapeAndSizeReportDimensions() {
        assertArrayEquals(new double[]{2, 3, 4}, run1("Shape", 13, List.of(), X234).toDoubleArray());
        assertArrayEquals(new double[]{3}, run1("Shape", 15,
                List.of(Attribute.of("start", -2L), Attribute.of("end", -1L)), X234).toDoubleArray());
        assertArrayEquals(new double[]{2, 3, 4}, run1("Shape", 15,
                List.of(Attribute.of("start", -10L), Attribute.of("end", 10L)), X234).toDoubleArray());
        assertEquals(0, run1("Shape", 15, List.of(Attribute.of("start", 2L), Attribute.of("end", 1L)), X234).size());
        Tensor size = run1("Size", 13, List.of(), X234);
        assertEquals(DType.INT64, size.dtype());
        assertEquals(0, size.shape().rank());
        assertEquals(24, size.getLong());
    }

    @Test
    void constantsComeFromExactlyOneAttribute() {
        Tensor v = run1("Constant", 13, List.of(Attribute.of("value_ints", new long[]{4, 5})));
        assertEquals(DType.INT64, v.dtype());
        assertArrayEquals(new double[]{4, 5}, v.toDoubleArray());
        assertEquals(2.5, run1("Constant", 13, List.of(Attribute.of("value_float", 2.5f))).getDouble());
        Tensor t = Tensor.ofInt8(new byte[]{-3}, 1);
        assertSame(t, run1("Constant", 13, List.of(Attribute.of("value", t))));
        ModelException e = assertThrows(ModelException.class,
                () -> run1("Constant", 13, List.of(Attribute.of("value_string", "hi"))));
        assertTrue(e.getMessage().contains("value_string") && e.getMessage().contains("Constant node 'n'"),
                e.getMessage());
        assertThrows(ModelException.class, () -> run1("Constant", 13, List.of()));
    }

    @Test
    void constantOfShapeFillsWithTheValueDtype() {
        Tensor zeros = run1("ConstantOfShape", 9, List.of(), longs(2, 3));
        assertEquals(DType.FLOAT, zeros.dtype());
        assertArrayEquals(new double[6], zeros.toDoubleArray());
        Tensor sevens = run1("ConstantOfShape", 9, List.of(Attribute.of("value", Tensor.of(new int[]{7}, 1))),
                longs(3, 1, 2));
        assertEquals(DType.INT32, sevens.dtype());
        assertArrayEquals(new double[]{7, 7, 7, 7, 7, 7}, sevens.toDoubleArray());
        Tensor bools = run1("ConstantOfShape", 9, List.of(Attribute.of("value", Tensor.of(new boolean[]{true}, 1))),
                longs(5));
        assertArrayEquals(new double[]{1, 1, 1, 1, 1}, bools.toDoubleArray());
        assertEquals(Shape.scalar(), run1("ConstantOfShape", 9, List.of(), Tensor.of(new long[0], 0)).shape());
        assertEquals(0, run1("ConstantOfShape", 9, List.of(), longs(4, 0)).size());
    }

    @Test
    void rangeCountsCeilOfSpanOverDelta() {
        Tensor f = run1("Range", 11, List.of(), Tensor.scalar(1f), Tensor.scalar(2f), Tensor.scalar(0.3f));
        assertEquals(4, f.size());
        assertEquals(1.9f, (float) f.getDouble(3), 1e-6f);
        Tensor i = run1("Range", 11, List.of(), Tensor.of(new int[]{10}), Tensor.of(new int[]{4}),
                Tensor.of(new int[]{-3}));
        assertArrayEquals(new double[]{10, 7}, i.toDoubleArray());
        Tensor none = run1("Range", 11, List.of(), Tensor.of(new long[]{5}), Tensor.of(new long[]{1}),
                Tensor.of(new long[]{2}));
        assertEquals(0, none.size());
        assertThrows(IllegalArgumentException.class, () -> run1("Range", 11, List.of(), Tensor.of(new long[]{0}),
                Tensor.of(new long[]{1}), Tensor.of(new long[]{0})));
    }

    @Test
    void identityAndDropoutPassTheInputThrough() {
        Tensor x = random(DType.FLOAT, new int[]{2, 3}, new Random(3));
        assertSame(x, run1("Identity", 13, List.of(), x));
        Tensor[] out = run("Dropout", 13, 2, List.of(), x, Tensor.scalar(0.3f), Tensor.of(new boolean[]{false}));
        assertSame(x, out[0]);
        assertEquals(DType.BOOL, out[1].dtype());
        assertArrayEquals(new double[]{1, 1, 1, 1, 1, 1}, out[1].toDoubleArray());
        Tensor[] old = run("Dropout", 7, 2, List.of(Attribute.of("ratio", 0.5f)), x);
        assertEquals(DType.FLOAT, old[1].dtype());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run("Dropout", 13, 1,
                List.of(), x, Tensor.scalar(0.3f), Tensor.of(new boolean[]{true})));
        assertTrue(e.getMessage().contains("training_mode"), e.getMessage());
        // ratio 0 keeps every element even in training mode
        assertSame(x, run("Dropout", 13, 1, List.of(), x, Tensor.scalar(0f), Tensor.of(new boolean[]{true}))[0]);
    }

    @Test
    void opsetsBeforeTheFirstVersionAreUnsupported() {
        assertThrows(ModelException.class, () -> OpHarness.REGISTRY.create(
                OpHarness.node("Expand", 2, 1, List.of()), 7));
        assertTrue(OpHarness.REGISTRY.supports("", "Resize", 10));
        assertTrue(OpHarness.REGISTRY.create(OpHarness.node("Identity", 1, 1, List.of()), 21)
                .run(new Tensor[]{X234}, OpContext.SERIAL)[0] == X234);
    }
}
