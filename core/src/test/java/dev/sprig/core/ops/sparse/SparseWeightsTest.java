package dev.sprig.core.ops.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Attribute;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import dev.sprig.core.graph.ValueInfo;
import dev.sprig.core.ops.OperatorRegistry;
import dev.sprig.core.passes.GraphOptimizer;
import dev.sprig.core.passes.PassContext;
import dev.sprig.core.passes.SparseWeights;
import dev.sprig.core.session.Session;
import dev.sprig.core.session.SessionOptions;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The {@link SparseWeights} pass and the sparse operators: a MatMul + Add + Relu and a 1x1 Conv
 * with 90%-sparse constant weights (zeros in 1x4 blocks along the reduction, where the measured
 * crossover is about 83%) or 96% unstructured zeros (CSR, crossover about 91%) are rewritten to
 * {@code dev.sprig:SparseMatMul} / {@code dev.sprig:SparseConv} in the expected format and give the
 * dense definition's result (a direct loop written here); a dense weight stays dense.
 */
class SparseWeightsTest {

    private static final SplittableRandom RANDOM = new SplittableRandom(23);

    @Test
    void blockSparseMatMulWithBiasAndReluRunsSparseAndMatchesTheDefinition() {
        matMul(blockSparseMatMulWeight(0.9, 96, 80), "block1x4");
    }

    @Test
    void unstructuredSparseMatMulRunsOnCsr() {
        matMul(random(0.96, 96, 80), "csr");
    }

    private static void matMul(Tensor w, String format) {
        for (int batch : new int[] {1, 3, 16}) {
            int k = w.shape().dim(0);
            int n = w.shape().dim(1);
            Tensor a = random(0.0, batch, k);
            Tensor bias = random(0.0, n);
            Graph g = new Graph("g", List.of(
                    Node.of("mm", "MatMul", List.of("a", "w"), List.of("h")),
                    Node.of("add", "Add", List.of("h", "b"), List.of("z")),
                    Node.of("relu", "Relu", List.of("z"), List.of("y"))),
                    List.of(new ValueInfo("a", DType.FLOAT, null)), List.of(new ValueInfo("y", DType.FLOAT, null)),
                    Map.of("w", w, "b", bias), List.of());
            float[] expected = new float[batch * n];
            for (int i = 0; i < batch; i++) {
                for (int j = 0; j < n; j++) {
                    double s = bias.floatData()[j];
                    for (int p = 0; p < k; p++) {
                        s += (double) a.floatData()[i * k + p] * w.floatData()[p * n + j];
                    }
                    expected[i * n + j] = (float) Math.max(0, s);
                }
            }
            Graph sparse = check(g, Map.of("a", a), expected);
            assertEquals(List.of("SparseMatMul"), sparse.nodes().stream().map(Node::opType).toList(), "batch " + batch);
            assertEquals(format, sparse.nodes().get(0).attrString("format", ""));
        }
    }

    /** A k x n MatMul weight whose column j has its rows in aligned groups of 4 zeroed with probability {@code p}. */
    private static Tensor blockSparseMatMulWeight(double p, int k, int n) {
        Tensor w = random(0.0, k, n);
        for (int j = 0; j < n; j++) {
            for (int r = 0; r < k; r += 4) {
                if (RANDOM.nextDouble() < p) {
                    for (int t = r; t < r + 4; t++) {
                        w.floatData()[t * n + j] = 0f;
                    }
                }
            }
        }
        return w;
    }

    @Test
    void sparsePointwiseConvRunsSparseAndMatchesTheDefinition() {
        int c = 64;
        int m = 40;
        int h = 5;
        int wd = 7;
        Tensor x = random(0.0, 2, c, h, wd);
        Tensor w = random(0.0, m, c, 1, 1);
        // 90% of the aligned 1x4 groups of input channels zeroed: block-sparse
        for (int i = 0; i < m * c; i += 4) {
            if (RANDOM.nextDouble() < 0.9) {
                java.util.Arrays.fill(w.floatData(), i, i + 4, 0f);
            }
        }
        Tensor bias = random(0.0, m);
        Graph g = new Graph("g", List.of(Node.of("conv", "Conv", List.of("x", "w", "b"), List.of("y"))
                        .withAttribute(Attribute.of("kernel_shape", new long[] {1, 1}))),
                List.of(new ValueInfo("x", DType.FLOAT, null)), List.of(new ValueInfo("y", DType.FLOAT, null)),
                Map.of("w", w, "b", bias), List.of());
        float[] expected = new float[2 * m * h * wd];
        for (int b = 0; b < 2; b++) {
            for (int o = 0; o < m; o++) {
                for (int p = 0; p < h * wd; p++) {
                    double s = bias.floatData()[o];
                    for (int i = 0; i < c; i++) {
                        s += (double) w.floatData()[o * c + i] * x.floatData()[(b * c + i) * h * wd + p];
                    }
                    expected[(b * m + o) * h * wd + p] = (float) s;
                }
            }
        }
        Graph sparse = check(g, Map.of("x", x), expected);
        assertEquals(List.of("SparseConv"), sparse.nodes().stream().map(Node::opType).toList());
        assertEquals("block1x4", sparse.nodes().get(0).attrString("format", ""));
    }

    @Test
    void denseWeightsStayDense() {
        Tensor w = random(0.0, 64, 64);
        Graph g = new Graph("g", List.of(Node.of("mm", "MatMul", List.of("a", "w"), List.of("y"))),
                List.of(new ValueInfo("a", DType.FLOAT, null)), List.of(new ValueInfo("y", DType.FLOAT, null)),
                Map.of("w", w), List.of());
        assertEquals(List.of("MatMulBias"), sparsify(new Model(g, Map.of("", 13), 8, "test")).graph().nodes().stream()
                .map(Node::opType).toList());
    }

    /** The standard passes then {@link SparseWeights}, as the optimiser runs them. */
    private static Model sparsify(Model model) {
        OperatorRegistry registry = OperatorRegistry.standard();
        Model optimised = GraphOptimizer.optimize(model, registry);
        Graph g = new SparseWeights().apply(optimised.graph(), new PassContext(optimised.opsets(), registry));
        return new Model(g, optimised.opsets(), optimised.irVersion(), optimised.producer());
    }

    /** Runs the sparsified graph on 1 and 2 threads (bitwise equal) against {@code expected}; returns it. */
    private static Graph check(Graph g, Map<String, Tensor> inputs, float[] expected) {
        Model model = sparsify(new Model(g, Map.of("", 13), 8, "test"));
        try (Session two = Session.create(model, SessionOptions.threads(2).withOptimize(false));
             Session one = Session.create(model, SessionOptions.threads(1).withOptimize(false))) {
            float[] got = two.run(inputs).get("y").contiguous().floatData();
            assertArrayEquals(one.run(inputs).get("y").contiguous().floatData(), got, "1 vs 2 threads");
            assertEquals(expected.length, got.length);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], got[i], 1e-5 * (1 + Math.abs(expected[i])), "[" + i + "]");
            }
            return two.graph();
        }
    }

    /** Uniform values in [-1, 1), each zero with probability {@code sparsity}. */
    private static Tensor random(double sparsity, int... dims) {
        Shape s = Shape.of(dims);
        float[] v = new float[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = RANDOM.nextDouble() < sparsity ? 0f : (float) (RANDOM.nextDouble() * 2 - 1);
        }
        return Tensor.wrap(DType.FLOAT, v, s);
    }
}
