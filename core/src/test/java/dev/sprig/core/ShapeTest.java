package dev.sprig.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ShapeTest {

    @Test
    void broadcastFollowsTheOnnxExamples() {
        // the examples of ONNX docs/Broadcasting.md (multidirectional broadcasting)
        assertEquals(Shape.of(2, 3, 4, 5), Shape.broadcast(Shape.of(2, 3, 4, 5), Shape.scalar()));
        assertEquals(Shape.of(2, 3, 4, 5), Shape.broadcast(Shape.of(2, 3, 4, 5), Shape.of(5)));
        assertEquals(Shape.of(2, 3, 4, 5), Shape.broadcast(Shape.of(4, 5), Shape.of(2, 3, 4, 5)));
        assertEquals(Shape.of(2, 3, 4, 5), Shape.broadcast(Shape.of(1, 4, 5), Shape.of(2, 3, 1, 1)));
        assertEquals(Shape.of(2, 3, 4, 5), Shape.broadcast(Shape.of(3, 4, 5), Shape.of(2, 1, 1, 1)));
        assertEquals(Shape.of(0, 3), Shape.broadcast(Shape.of(0, 1), Shape.of(1, 3)));
    }

    @Test
    void incompatibleShapesNameBothShapesAndTheAxis() {
        var e = assertThrows(IllegalArgumentException.class, () -> Shape.broadcast(Shape.of(2, 3), Shape.of(4, 3)));
        assertTrue(e.getMessage().contains("[2x3]") && e.getMessage().contains("[4x3]")
                && e.getMessage().contains("axis 0"), e.getMessage());
    }

    @Test
    void rejectsNegativeAndOverflowingShapes() {
        assertThrows(IllegalArgumentException.class, () -> Shape.of(2, -1));
        var e = assertThrows(IllegalArgumentException.class, () -> Shape.of(65536, 65536));
        assertTrue(e.getMessage().contains("more than"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Shape.ofLongs(1L << 40));
    }

    @Test
    void axesAndStrides() {
        Shape s = Shape.of(2, 3, 4);
        assertEquals(24, s.size());
        assertEquals(4, s.dim(-1));
        assertEquals(1, Shape.scalar().size());
        assertEquals(java.util.List.of(12, 4, 1), java.util.Arrays.stream(s.contiguousStrides()).boxed().toList());
        assertThrows(IllegalArgumentException.class, () -> s.dim(3));
        assertEquals("[2x3x4]", s.toString());
    }
}
