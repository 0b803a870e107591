package dev.sprig.core.session;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Attribute;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import dev.sprig.core.graph.ValueInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * An MNIST-shaped network on the standard operators, with seeded random weights, for tests that
 * need a real multi-node model in core (where no ONNX file can be loaded): x[1,1,28,28] -> Conv 8x5x5
 * (pad 2) -> Relu -> MaxPool 2 -> Conv 16x5x5 (pad 2) -> Relu -> MaxPool 2 -> Reshape [1,784] ->
 * Gemm 10 -> Softmax -> y[1,10].
 */
final class SmallCnn {

    private SmallCnn() {
    }

    static Model model(long seed) {
        Random r = new Random(seed);
        Map<String, Tensor> init = new LinkedHashMap<>();
        init.put("w1", weights(r, 0.2f, 8, 1, 5, 5));
        init.put("b1", weights(r, 0.2f, 8));
        init.put("w2", weights(r, 0.2f, 16, 8, 5, 5));
        init.put("b2", weights(r, 0.2f, 16));
        init.put("shape", Tensor.of(new long[] {1, 784}, 2));
        init.put("w3", weights(r, 0.2f, 784, 10));
        init.put("b3", weights(r, 0.2f, 10));
        Map<String, Attribute> conv = Map.of("pads", Attribute.of("pads", new long[] {2, 2, 2, 2}));
        Map<String, Attribute> pool = Map.of("kernel_shape", Attribute.of("kernel_shape", new long[] {2, 2}),
                "strides", Attribute.of("strides", new long[] {2, 2}));
        List<Node> nodes = List.of(
                new Node("conv1", "Conv", "", List.of("x", "w1", "b1"), List.of("c1"), conv),
                Node.of("relu1", "Relu", List.of("c1"), List.of("r1")),
                new Node("pool1", "MaxPool", "", List.of("r1"), List.of("p1"), pool),
                new Node("conv2", "Conv", "", List.of("p1", "w2", "b2"), List.of("c2"), conv),
                Node.of("relu2", "Relu", List.of("c2"), List.of("r2")),
                new Node("pool2", "MaxPool", "", List.of("r2"), List.of("p2"), pool),
                Node.of("flat", "Reshape", List.of("p2", "shape"), List.of("f")),
                Node.of("fc", "Gemm", List.of("f", "w3", "b3"), List.of("logits")),
                Node.of("softmax", "Softmax", List.of("logits"), List.of("y")));
        Graph g = new Graph("small-cnn", nodes,
                List.of(new ValueInfo("x", DType.FLOAT, List.of(ValueInfo.Dim.of(1), ValueInfo.Dim.of(1),
                        ValueInfo.Dim.of(28), ValueInfo.Dim.of(28)))),
                List.of(new ValueInfo("y", DType.FLOAT, null)), init, List.of());
        return new Model(g, Map.of("", 13), 8, "test");
    }

    /** A random image, values in [0, 1). */
    static Tensor input(Random r) {
        float[] x = new float[28 * 28];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        return Tensor.of(x, 1, 1, 28, 28);
    }

    /** Random weights of shape {@code dims}, uniform in [-spread/2, spread/2). */
    static Tensor weights(Random r, float spread, int... dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (r.nextFloat() - 0.5f) * spread;
        }
        return Tensor.of(v, dims);
    }
}
