package dev.sprig.prune;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Attribute;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import dev.sprig.core.graph.ValueInfo;
import dev.sprig.core.DType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small models built in code for the prune tests. */
final class TestModels {

    private TestModels() {
    }

    static Tensor random(Random rnd, int... dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return Tensor.of(v, dims);
    }

    static Tensor positive(Random rnd, int... dims) {
        Tensor t = random(rnd, dims);
        float[] v = Floats.of(t);
        for (int i = 0; i < v.length; i++) {
            v[i] = 0.5f + Math.abs(v[i]);
        }
        return Tensor.of(v, dims);
    }

    static ValueInfo input(String name, int... dims) {
        List<ValueInfo.Dim> d = new ArrayList<>();
        for (int x : dims) {
            d.add(ValueInfo.Dim.of(x));
        }
        return new ValueInfo(name, DType.FLOAT, d);
    }

    static Node node(String name, String op, List<String> in, String out, Attribute... attrs) {
        Map<String, Attribute> a = new LinkedHashMap<>();
        for (Attribute x : attrs) {
            a.put(x.name(), x);
        }
        return new Node(name, op, "", in, List.of(out), a);
    }

    /**
     * X[1,3,6,6] -> conv1(+bias) -> BatchNorm -> Relu -> MaxPool 2 -> conv2 -> Add(bias [5,1,1]) -> Relu
     * -> Reshape [1,45] -> MatMul [45,4] -> Add [4] -> Gemm B[4,7] C[7] -> Relu -> Gemm B[3,7]^T C[3] -> Y.
     */
    static Model cnn(long seed) {
        Random rnd = new Random(seed);
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("W1", random(rnd, 6, 3, 3, 3));
        w.put("B1", random(rnd, 6));
        w.put("gamma", positive(rnd, 6));
        w.put("beta", random(rnd, 6));
        w.put("mean", random(rnd, 6));
        w.put("var", positive(rnd, 6));
        w.put("W2", random(rnd, 5, 6, 3, 3));
        w.put("B2", random(rnd, 5, 1, 1));
        w.put("shape", Tensor.of(new long[]{1, 45}, 2));
        w.put("W3", random(rnd, 45, 4));
        w.put("B3", random(rnd, 4));
        w.put("G1", random(rnd, 4, 7));
        w.put("C1", random(rnd, 7));
        w.put("G2", random(rnd, 3, 7));
        w.put("C2", random(rnd, 3));
        Attribute pads = Attribute.of("pads", new long[]{1, 1, 1, 1});
        List<Node> nodes = List.of(
                node("conv1", "Conv", List.of("X", "W1", "B1"), "c1", pads),
                node("bn", "BatchNormalization", List.of("c1", "gamma", "beta", "mean", "var"), "b1"),
                node("relu1", "Relu", List.of("b1"), "r1"),
                node("pool", "MaxPool", List.of("r1"), "p1", Attribute.of("kernel_shape", new long[]{2, 2}),
                        Attribute.of("strides", new long[]{2, 2})),
                node("conv2", "Conv", List.of("p1", "W2"), "c2", pads),
                node("bias2", "Add", List.of("c2", "B2"), "a2"),
                node("relu2", "Relu", List.of("a2"), "r2"),
                node("flat", "Reshape", List.of("r2", "shape"), "f"),
                node("fc", "MatMul", List.of("f", "W3"), "m3"),
                node("bias3", "Add", List.of("m3", "B3"), "a3"),
                node("gemm1", "Gemm", List.of("a3", "G1", "C1"), "g1"),
                node("relu3", "Relu", List.of("g1"), "r3"),
                node("gemm2", "Gemm", List.of("r3", "G2", "C2"), "Y", Attribute.of("transB", 1L)));
        Graph g = new Graph("cnn", nodes, List.of(input("X", 1, 3, 6, 6)), List.of(input("Y", 1, 3)), w, List.of());
        return new Model(g, Map.of("", 13), 8, "test");
    }

    /** X -> convA -> Relu -> convB; convA's output also added to convB's: a residual. */
    static Model residual(long seed) {
        Random rnd = new Random(seed);
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("WA", random(rnd, 4, 2, 1, 1));
        w.put("WB", random(rnd, 4, 4, 1, 1));
        w.put("WC", random(rnd, 3, 4, 1, 1));
        List<Node> nodes = List.of(
                node("convA", "Conv", List.of("X", "WA"), "a"),
                node("relu", "Relu", List.of("a"), "r"),
                node("convB", "Conv", List.of("r", "WB"), "b"),
                node("res", "Add", List.of("b", "r"), "s"),
                node("convC", "Conv", List.of("s", "WC"), "Y"));
        Graph g = new Graph("res", nodes, List.of(input("X", 1, 2, 3, 3)), List.of(input("Y", 1, 3, 3, 3)), w, List.of());
        return new Model(g, Map.of("", 13), 8, "test");
    }
}
