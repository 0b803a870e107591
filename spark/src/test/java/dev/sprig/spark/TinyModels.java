package dev.sprig.spark;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Attribute;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import dev.sprig.core.graph.ValueInfo;
import dev.sprig.core.graph.ValueInfo.Dim;
import dev.sprig.onnx.OnnxModelWriter;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Small ONNX models built in the tests, serialized as a user would hand them to {@link SprigInference}. */
final class TinyModels {

    static final int FEATURES = 16;

    private TinyModels() {
    }

    /** y = x W + b, x FLOAT[batch, 16], y [batch, 4]; batch symbolic or fixed at 1. */
    static byte[] dense(boolean symbolicBatch) {
        SplittableRandom r = new SplittableRandom(5);
        float[] w = new float[FEATURES * 4];
        float[] b = new float[4];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextDouble(-1, 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextDouble(-1, 1);
        }
        Dim batch = symbolicBatch ? Dim.symbolic("batch") : Dim.of(1);
        Graph g = new Graph("dense", List.of(
                Node.of("mm", "MatMul", List.of("x", "w"), List.of("h")),
                Node.of("add", "Add", List.of("h", "b"), List.of("y"))),
                List.of(new ValueInfo("x", DType.FLOAT, List.of(batch, Dim.of(FEATURES)))),
                List.of(new ValueInfo("y", DType.FLOAT, List.of(batch, Dim.of(4)))),
                Map.of("w", Tensor.of(w, FEATURES, 4), "b", Tensor.of(b, 4)), List.of());
        return OnnxModelWriter.toBytes(new Model(g, Map.of("", 13), 8, "sprig-spark-test"));
    }

    /**
     * y = x - mean(x over the batch), x FLOAT[batch, 16]: each row's output depends on the rows it was
     * batched with, so a test sees exactly which rows shared a run.
     */
    static byte[] batchCentering() {
        Graph g = new Graph("center", List.of(
                new Node("mean", "ReduceMean", "", List.of("x"), List.of("m"),
                        Map.of("axes", Attribute.of("axes", new long[]{0}), "keepdims", Attribute.of("keepdims", 1L))),
                Node.of("sub", "Sub", List.of("x", "m"), List.of("y"))),
                List.of(new ValueInfo("x", DType.FLOAT, List.of(Dim.symbolic("batch"), Dim.of(FEATURES)))),
                List.of(new ValueInfo("y", DType.FLOAT, List.of(Dim.symbolic("batch"), Dim.of(FEATURES)))),
                Map.of(), List.of());
        return OnnxModelWriter.toBytes(new Model(g, Map.of("", 13), 8, "sprig-spark-test"));
    }

    /** z = x + y: two inputs, which one column cannot feed. */
    static byte[] twoInputs() {
        List<Dim> dims = List.of(Dim.symbolic("batch"), Dim.of(FEATURES));
        Graph g = new Graph("add", List.of(Node.of("add", "Add", List.of("x", "y"), List.of("z"))),
                List.of(new ValueInfo("x", DType.FLOAT, dims), new ValueInfo("y", DType.FLOAT, dims)),
                List.of(new ValueInfo("z", DType.FLOAT, dims)), Map.of(), List.of());
        return OnnxModelWriter.toBytes(new Model(g, Map.of("", 13), 8, "sprig-spark-test"));
    }

    /** {@code count} rows of 16 random floats, seeded. */
    static float[][] randomRows(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] rows = new float[count][FEATURES];
        for (float[] row : rows) {
            for (int i = 0; i < FEATURES; i++) {
                row[i] = (float) r.nextDouble(-10, 10);
            }
        }
        return rows;
    }
}
