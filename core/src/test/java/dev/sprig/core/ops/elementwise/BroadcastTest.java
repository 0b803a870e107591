package dev.sprig.core.ops.elementwise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The shared index walk against the definition: every output element's operand offsets, index by index. */
class BroadcastTest {

    @Test
    void everyOutputElementReadsTheDefinedOperandElement() {
        for (long seed = 0; seed < 2000; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int operands = 1 + r.nextInt(3);
            int[][] dims = ElementwiseTesting.broadcastShapes(r, operands);
            Shape[] shapes = new Shape[operands];
            Tensor[] tensors = new Tensor[operands];
            for (int k = 0; k < operands; k++) {
                shapes[k] = Shape.of(dims[k]);
                tensors[k] = Tensor.zeros(DType.FLOAT, shapes[k]);
            }
            Broadcast bc = Broadcast.of(shapes);
            Shape out = ElementwiseTesting.expectedShape(tensors);
            assertEquals(out, bc.shape(), "shape for " + Arrays.toString(shapes));

            int[][] walked = new int[operands][out.size()];
            boolean[] seen = new boolean[out.size()];
            bc.forEachRun((o, offs, n) -> {
                for (int i = 0; i < n; i++) {
                    assertTrue(!seen[o + i], "output " + (o + i) + " visited twice");
                    seen[o + i] = true;
                    for (int k = 0; k < operands; k++) {
                        walked[k][o + i] = offs[k] + i * bc.step(k);
                    }
                }
            });
            long finalSeed = seed;
            int[] flat = {0};
            ElementwiseTesting.forEachIndex(out, idx -> {
                assertTrue(seen[flat[0]], "output " + flat[0] + " not visited");
                for (int k = 0; k < operands; k++) {
                    int[] own = ElementwiseTesting.operandIndex(tensors[k], idx);
                    int expected = 0;
                    int[] strides = shapes[k].contiguousStrides();
                    for (int a = 0; a < own.length; a++) {
                        expected += own[a] * strides[a];
                    }
                    assertEquals(expected, walked[k][flat[0]], "seed " + finalSeed + " operand " + k + " "
                            + Arrays.toString(shapes) + " at " + Arrays.toString(idx));
                }
                flat[0]++;
            });
        }
    }

    @Test
    void incompatibleShapesNameBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Broadcast.of(Shape.of(2, 3), Shape.of(4)));
        assertTrue(e.getMessage().contains("[2x3]") && e.getMessage().contains("[4]"), e.getMessage());
    }

    @Test
    void emptyOutputHasNoRuns() {
        Broadcast bc = Broadcast.of(Shape.of(0, 3), Shape.of(1, 3));
        assertEquals(Shape.of(0, 3), bc.shape());
        bc.forEachRun((o, offs, n) -> {
            throw new AssertionError("run on an empty output");
        });
    }
}
