package dev.sprig.core.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.FreeBatchRewrite;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import dev.sprig.core.graph.ValueInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link FreeBatchRewrite} on an MNIST-shaped CNN that fixes its batch at 1 (input [1,1,28,28], a
 * Reshape to the constant [1,784]): the rewritten model runs three images at once, and each row of
 * its output is the original model's output for that image alone.
 */
class FreeBatchRewriteTest {

    @Test
    void rewrittenModelRunsABatchWhoseRowsAreTheSingleImageOutputs() {
        Model fixed = SmallCnn.model(11);
        Model free = FreeBatchRewrite.of(fixed);
        Random r = new Random(5);
        Tensor[] images = {SmallCnn.input(r), SmallCnn.input(r), SmallCnn.input(r)};
        float[] stacked = new float[3 * 784];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(images[i].toFloatArray(), 0, stacked, i * 784, 784);
        }
        try (Session one = Session.create(fixed, SessionOptions.threads(1).withOptimize(false));
             Session batched = Session.create(free, SessionOptions.threads(1))) {
            Tensor y = batched.run(Map.of("x", Tensor.of(stacked, 3, 1, 28, 28))).get("y");
            assertArrayEquals(new int[] {3, 10}, y.shape().dims());
            float[] rows = y.toFloatArray();
            for (int i = 0; i < 3; i++) {
                float[] alone = one.run(Map.of("x", images[i])).get("y").toFloatArray();
                float[] row = Arrays.copyOfRange(rows, i * 10, i * 10 + 10);
                for (int k = 0; k < 10; k++) {
                    assertEquals(alone[k], row[k], 1e-5f, "image " + i + ", class " + k);
                }
            }
        }
    }

    @Test
    void theConstantShapeIsCopiedNotChanged() {
        Model fixed = SmallCnn.model(11);
        Model free = FreeBatchRewrite.of(fixed);
        assertArrayEquals(new long[] {1, 784}, fixed.graph().initializers().get("shape").toLongArray());
        assertArrayEquals(new long[] {0, 784}, free.graph().initializers().get("shape_free_batch").toLongArray());
        assertFalse(free.graph().inputs().get(0).shape().get(0).isFixed());
    }

    @Test
    void aTargetThatAlreadyInfersADimensionCopiesTheBatch() {
        // shufflenet's channel shuffle reshapes to [1,-1,28,28]: a second -1 would be invalid
        ValueInfo x = new ValueInfo("x", DType.FLOAT, List.of(ValueInfo.Dim.of(1), ValueInfo.Dim.of(4)));
        Graph g = new Graph("infer", List.of(Node.of("r", "Reshape", List.of("x", "shape"), List.of("y"))),
                List.of(x), List.of(new ValueInfo("y", DType.FLOAT, null)),
                Map.of("shape", Tensor.of(new long[] {1, -1, 2}, 3)), List.of());
        Model free = FreeBatchRewrite.of(new Model(g, Map.of("", 13), 8, "test"));
        try (Session s = Session.create(free, SessionOptions.threads(1))) {
            Tensor y = s.run(Map.of("x", Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 3, 4)))
                    .get("y");
            assertArrayEquals(new int[] {3, 2, 2}, y.shape().dims());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, y.toFloatArray());
        }
    }

    @Test
    void aModelWithoutAFixedBatchOfOneIsRefused() {
        Model free = FreeBatchRewrite.of(SmallCnn.model(11));
        ModelException e = assertThrows(ModelException.class, () -> FreeBatchRewrite.of(free));
        assertTrue(e.getMessage().contains("does not fix its batch dimension at 1"), e.getMessage());
    }
}
