package dev.sprig.core.passes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Attribute;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import dev.sprig.core.graph.ValueInfo;
import dev.sprig.core.ops.OperatorRegistry;
import dev.sprig.core.ops.fused.FusedOperators;
import dev.sprig.core.session.Session;
import dev.sprig.core.session.SessionOptions;
import dev.sprig.kernels.conv.Conv2dShape;
import dev.sprig.kernels.gemm.Epilogue;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The graph passes against running the same graph without them. The operators are readable
 * test twins (loops written here, the reference convolution of kernels), so the checks do not
 * depend on the operator families; the fused operators are the real ones.
 */
class GraphPassesTest {

    private static final SplittableRandom RANDOM = new SplittableRandom(7);

    private static OperatorRegistry twins() {
        OperatorRegistry r = new OperatorRegistry();
        FusedOperators.register(r);
        return r
                .register("Neg", 1, (node, opset) -> (in, ctx) -> new Tensor[] {map(in[0], v -> -v)})
                .register("Relu", 1, (node, opset) -> (in, ctx) -> new Tensor[] {map(in[0], v -> Math.max(v, 0f))})
                .register("MatMul", 1, (node, opset) -> (in, ctx) -> new Tensor[] {matmul(in[0], in[1])})
                .register("Add", 7, (node, opset) -> (in, ctx) -> new Tensor[] {add(in[0], in[1])})
                .register("Conv", 1, (node, opset) -> (in, ctx) -> new Tensor[] {conv3x3(in)})
                .register("BatchNormalization", 9, (node, opset) -> (in, ctx) ->
                        new Tensor[] {batchNorm(in, node.attrFloat("epsilon", 1e-5f))});
    }

    @Test
    void matMulAddReluBecomesOneMatMulBiasWithTheSameResult() {
        Map<String, Tensor> w = Map.of("W", random(8, 6), "b", random(6));
        Graph g = graph(List.of(
                        Node.of("mm", "MatMul", List.of("x", "W"), List.of("h")),
                        Node.of("add", "Add", List.of("h", "b"), List.of("hb")),
                        Node.of("relu", "Relu", List.of("hb"), List.of("y"))),
                "x", "y", w);
        Graph optimised = check(g, Map.of("x", random(3, 5, 8)));
        assertEquals(1, optimised.nodes().size(), optimised.nodes().toString());
        assertEquals("MatMulBias", optimised.nodes().get(0).opType());
    }

    @Test
    void aValueWithAnotherReaderIsNotFused() {
        Map<String, Tensor> w = Map.of("W", random(8, 6), "b", random(6));
        Graph g = new Graph("g", List.of(
                Node.of("mm", "MatMul", List.of("x", "W"), List.of("h")),
                Node.of("add", "Add", List.of("h", "b"), List.of("y")),
                Node.of("neg", "Neg", List.of("h"), List.of("z"))),
                List.of(new ValueInfo("x", DType.FLOAT, null)),
                List.of(new ValueInfo("y", DType.FLOAT, null), new ValueInfo("z", DType.FLOAT, null)), w, List.of());
        Graph optimised = check(g, Map.of("x", random(4, 8)));
        // the MatMul is fused without its Add (h is read twice)
        assertEquals(List.of("MatMulBias", "Add", "Neg"), optimised.nodes().stream().map(Node::opType).toList());
    }

    @Test
    void constantsFoldAndDeadNodesAndWeightsGo() {
        Map<String, Tensor> w = Map.of("c", random(6), "unused", random(100));
        Graph g = new Graph("g", List.of(
                Node.of("negc", "Neg", List.of("c"), List.of("nc")),
                Node.of("add", "Add", List.of("x", "nc"), List.of("y")),
                Node.of("dead", "Neg", List.of("x"), List.of("d"))),
                List.of(new ValueInfo("x", DType.FLOAT, null)),
                List.of(new ValueInfo("y", DType.FLOAT, null)), w, List.of());
        Graph optimised = check(g, Map.of("x", random(2, 6)));
        assertEquals(List.of("Add"), optimised.nodes().stream().map(Node::opType).toList());
        assertEquals(List.of("nc"), List.copyOf(optimised.initializers().keySet()));
    }

    @Test
    void batchNormFoldsIntoTheConvBeforeIt() {
        int c = 3;
        int m = 4;
        Tensor var = map(random(m), v -> v * v + 0.1f);
        Map<String, Tensor> w = Map.of("W", random(m, c, 3, 3), "B", random(m), "scale", random(m), "beta", random(m),
                "mean", random(m), "var", var);
        Node bn = Node.of("bn", "BatchNormalization", List.of("h", "scale", "beta", "mean", "var"), List.of("y"))
                .withAttribute(Attribute.of("epsilon", 1e-3f));
        Graph g = graph(List.of(Node.of("conv", "Conv", List.of("x", "W", "B"), List.of("h")), bn), "x", "y", w);
        Graph optimised = check(g, Map.of("x", random(1, c, 7, 5)));
        assertEquals(List.of("Conv"), optimised.nodes().stream().map(Node::opType).toList());
        assertTrue(optimised.initializers().keySet().stream().allMatch(k -> k.startsWith("conv_bn_folded")),
                optimised.initializers().keySet().toString());
    }

    @Test
    void aPerChannelAddBecomesTheConvBias() {
        int m = 5;
        Map<String, Tensor> w = Map.of("W", random(m, 2, 3, 3), "v", random(m, 1, 1));
        Graph g = graph(List.of(Node.of("conv", "Conv", List.of("x", "W"), List.of("h")),
                Node.of("add", "Add", List.of("h", "v"), List.of("y"))), "x", "y", w);
        Graph optimised = check(g, Map.of("x", random(1, 2, 6, 6)));
        assertEquals(List.of("Conv"), optimised.nodes().stream().map(Node::opType).toList());
        assertEquals(3, optimised.nodes().get(0).inputs().size());
    }

    /** Runs g with and without the passes, compares, and returns the optimised graph. */
    private static Graph check(Graph g, Map<String, Tensor> inputs) {
        Model model = new Model(g, Map.of("", 13), 8, "test");
        try (Session plain = Session.create(model, SessionOptions.threads(1).withOptimize(false), twins());
             Session optimised = Session.create(model, SessionOptions.threads(1), twins())) {
            Map<String, Tensor> expected = plain.run(inputs);
            Map<String, Tensor> got = optimised.run(inputs);
            for (String name : expected.keySet()) {
                double[] e = expected.get(name).toDoubleArray();
                double[] a = got.get(name).toDoubleArray();
                assertEquals(expected.get(name).shape(), got.get(name).shape(), name);
                for (int i = 0; i < e.length; i++) {
                    assertEquals(e[i], a[i], 1e-5 * (1 + Math.abs(e[i])), name + "[" + i + "]");
                }
            }
            return optimised.graph();
        }
    }

    private static Graph graph(List<Node> nodes, String in, String out, Map<String, Tensor> weights) {
        return new Graph("g", nodes, List.of(new ValueInfo(in, DType.FLOAT, null)),
                List.of(new ValueInfo(out, DType.FLOAT, null)), weights, List.of());
    }

    private static Tensor random(int... dims) {
        Shape s = Shape.of(dims);
        float[] v = new float[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (RANDOM.nextDouble() * 2 - 1);
        }
        return Tensor.wrap(DType.FLOAT, v, s);
    }

    private interface FloatOp {
        float apply(float v);
    }

    private static Tensor map(Tensor t, FloatOp f) {
        float[] x = t.contiguous().floatData();
        float[] y = new float[t.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = f.apply(x[i]);
        }
        return Tensor.wrap(DType.FLOAT, y, t.shape());
    }

    private static Tensor matmul(Tensor a, Tensor b) {
        int k = b.shape().dim(0);
        int n = b.shape().dim(1);
        int rows = a.size() / k;
        float[] x = a.contiguous().floatData();
        float[] w = b.contiguous().floatData();
        float[] y = new float[rows * n];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                float s = 0;
                for (int p = 0; p < k; p++) {
                    s += x[r * k + p] * w[p * n + j];
                }
                y[r * n + j] = s;
            }
        }
        int[] d = a.shape().dims();
        d[d.length - 1] = n;
        return Tensor.wrap(DType.FLOAT, y, Shape.of(d));
    }

    /** a + b for b broadcast along the last axis ([n]) or per channel of NCHW ([C,1,1]). */
    private static Tensor add(Tensor a, Tensor b) {
        float[] x = a.contiguous().floatData();
        float[] c = b.contiguous().floatData();
        float[] y = new float[x.length];
        boolean perChannel = b.shape().rank() == 3;
        int plane = perChannel ? a.shape().dim(2) * a.shape().dim(3) : 1;
        for (int i = 0; i < y.length; i++) {
            y[i] = x[i] + c[perChannel ? i / plane % c.length : i % c.length];
        }
        return Tensor.wrap(DType.FLOAT, y, a.shape());
    }

    private static Tensor conv3x3(Tensor[] in) {
        int[] d = in[0].shape().dims();
        int m = in[1].shape().dim(0);
        Conv2dShape s = Conv2dShape.of(d[0], d[1], d[2], d[3], m, 3, 1, 1, 1);
        float[] y = new float[s.outputSize()];
        Epilogue e = in.length > 2 && in[2] != null ? Epilogue.biasPerRow(in[2].contiguous().floatData(), 0) : Epilogue.NONE;
        dev.sprig.kernels.reference.Conv2d.conv2d(s, in[0].contiguous().floatData(), 0, in[1].contiguous().floatData(), 0,
                y, 0, e);
        return Tensor.wrap(DType.FLOAT, y, Shape.of(d[0], m, s.outH(), s.outW()));
    }

    private static Tensor batchNorm(Tensor[] in, float eps) {
        int[] d = in[0].shape().dims();
        int plane = d[2] * d[3];
        float[] x = in[0].contiguous().floatData();
        float[] y = new float[x.length];
        for (int i = 0; i < y.length; i++) {
            int ch = i / plane % d[1];
            double scale = in[1].floatData()[ch];
            double beta = in[2].floatData()[ch];
            double mean = in[3].floatData()[ch];
            double var = in[4].floatData()[ch];
            y[i] = (float) ((x[i] - mean) / Math.sqrt(var + eps) * scale + beta);
        }
        return Tensor.wrap(DType.FLOAT, y, in[0].shape());
    }
}
