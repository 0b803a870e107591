package dev.sprig.bench.model;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Attribute;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import dev.sprig.core.graph.ValueInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Builds an ONNX-style {@link Model} node by node with random FP32 weights: each helper adds one
 * ai.onnx node (or a short standard pattern of them) and returns the name of its output. Weights
 * are drawn from a seeded generator with He-style scales (std sqrt(2 / fan-in)) so activations keep
 * a sensible range through deep stacks, and the same seed gives the same model.
 */
final class GraphBuilder {

    /** The opset the synthetic models import: LayerNormalization needs 17; ONNX Runtime 1.29 runs it all. */
    static final int OPSET = 17;
    /** IR version 8 is the first that carries opset 17. */
    static final long IR_VERSION = 8;

    private final SplittableRandom random;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, Tensor> initializers = new LinkedHashMap<>();
    private final List<ValueInfo> inputs = new ArrayList<>();
    private final List<ValueInfo> outputs = new ArrayList<>();
    private int counter;

    GraphBuilder(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** Declares a FLOAT graph input whose first dimension is the symbolic {@code batch}. */
    String input(String name, int... dimsAfterBatch) {
        List<ValueInfo.Dim> dims = new ArrayList<>();
        dims.add(ValueInfo.Dim.symbolic("batch"));
        for (int d : dimsAfterBatch) {
            dims.add(ValueInfo.Dim.of(d));
        }
        inputs.add(new ValueInfo(name, DType.FLOAT, dims));
        return name;
    }

    /** Declares {@code value} a FLOAT graph output of unstated shape. */
    void output(String value) {
        outputs.add(new ValueInfo(value, DType.FLOAT, null));
    }

    /** The finished model (ai.onnx at {@link #OPSET}). */
    Model build(String name) {
        Graph g = new Graph(name, nodes, inputs, outputs, initializers, List.of());
        return new Model(g, Map.of("", OPSET), IR_VERSION, "sprig-bench synthetic");
    }

    /** A weight tensor of normal values with standard deviation {@code std}. */
    String weight(String hint, double std, int... dims) {
        float[] v = new float[Shape.of(dims).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (gaussian() * std);
        }
        return constant(hint, Tensor.of(v, dims));
    }

    /** A constant tensor, stored as an initializer. */
    String constant(String hint, Tensor value) {
        String name = fresh(hint);
        initializers.put(name, value);
        return name;
    }

    /** An INT64 vector constant (shapes, axes). */
    String ints(String hint, long... values) {
        return constant(hint, Tensor.of(values, values.length));
    }

    /** A rank-0 FLOAT constant. */
    String scalar(String hint, float value) {
        return constant(hint, Tensor.scalar(value));
    }

    /**
     * Conv with a random kernel and bias (no padding beyond {@code kernel / 2} on each side, so
     * stride 1 keeps the size), {@code groups} groups.
     */
    String conv(String x, int inChannels, int outChannels, int kernel, int stride, int groups) {
        int fanIn = inChannels / groups * kernel * kernel;
        String w = weight("conv_w", Math.sqrt(2.0 / fanIn), outChannels, inChannels / groups, kernel, kernel);
        String b = weight("conv_b", 0.01, outChannels);
        int pad = kernel / 2;
        return node("Conv", List.of(x, w, b),
                Attribute.of("kernel_shape", new long[]{kernel, kernel}),
                Attribute.of("strides", new long[]{stride, stride}),
                Attribute.of("pads", new long[]{pad, pad, pad, pad}),
                Attribute.of("group", (long) groups));
    }

    /** BatchNormalization with statistics near the identity (as a trained network's often are). */
    String batchNorm(String x, int channels) {
        float[] scale = new float[channels];
        float[] bias = new float[channels];
        float[] mean = new float[channels];
        float[] var = new float[channels];
        for (int c = 0; c < channels; c++) {
            scale[c] = (float) (1 + 0.1 * gaussian());
            bias[c] = (float) (0.05 * gaussian());
            mean[c] = (float) (0.05 * gaussian());
            var[c] = (float) (1 + 0.1 * Math.abs(gaussian()));
        }
        return node("BatchNormalization", List.of(x, constant("bn_scale", Tensor.of(scale, channels)),
                        constant("bn_bias", Tensor.of(bias, channels)), constant("bn_mean", Tensor.of(mean, channels)),
                        constant("bn_var", Tensor.of(var, channels))),
                Attribute.of("epsilon", 1e-5f));
    }

    String relu(String x) {
        return node("Relu", List.of(x));
    }

    /** ReLU6 as Clip(x, 0, 6) with min/max inputs (opset 11 on). */
    String relu6(String x) {
        return node("Clip", List.of(x, scalar("zero", 0f), scalar("six", 6f)));
    }

    String maxPool(String x, int kernel, int stride, int pad) {
        return node("MaxPool", List.of(x), Attribute.of("kernel_shape", new long[]{kernel, kernel}),
                Attribute.of("strides", new long[]{stride, stride}), Attribute.of("pads", new long[]{pad, pad, pad, pad}));
    }

    String globalAveragePool(String x) {
        return node("GlobalAveragePool", List.of(x));
    }

    String flatten(String x) {
        return node("Flatten", List.of(x), Attribute.of("axis", 1L));
    }

    /** Gemm {@code x [n, in] * W^T + b} with W stored [out, in] (transB, as exporters write classifiers). */
    String linear(String x, int in, int out) {
        String w = weight("fc_w", Math.sqrt(1.0 / in), out, in);
        String b = weight("fc_b", 0.01, out);
        return node("Gemm", List.of(x, w, b), Attribute.of("transB", 1L));
    }

    /** MatMul by a random [in, out] weight then Add of a bias (the transformer exporters' pattern). */
    String matMulAdd(String x, int in, int out) {
        String w = weight("mm_w", Math.sqrt(1.0 / in), in, out);
        String b = weight("mm_b", 0.01, out);
        return add(node("MatMul", List.of(x, w)), b);
    }

    String add(String a, String b) {
        return node("Add", List.of(a, b));
    }

    String mul(String a, String b) {
        return node("Mul", List.of(a, b));
    }

    String div(String a, String b) {
        return node("Div", List.of(a, b));
    }

    String matMul(String a, String b) {
        return node("MatMul", List.of(a, b));
    }

    String reshape(String x, long... shape) {
        return node("Reshape", List.of(x, ints("shape", shape)));
    }

    String transpose(String x, long... perm) {
        return node("Transpose", List.of(x), Attribute.of("perm", perm));
    }

    String softmax(String x, long axis) {
        return node("Softmax", List.of(x), Attribute.of("axis", axis));
    }

    /** LayerNormalization over the last axis with random scale near 1 and bias near 0. */
    String layerNorm(String x, int width) {
        float[] scale = new float[width];
        float[] bias = new float[width];
        for (int i = 0; i < width; i++) {
            scale[i] = (float) (1 + 0.1 * gaussian());
            bias[i] = (float) (0.02 * gaussian());
        }
        return node("LayerNormalization", List.of(x, constant("ln_scale", Tensor.of(scale, width)),
                constant("ln_bias", Tensor.of(bias, width))), Attribute.of("axis", -1L), Attribute.of("epsilon", 1e-5f));
    }

    /** The exact GELU as exporters write it at opset 17: 0.5 x (1 + erf(x / sqrt 2)). */
    String gelu(String x) {
        String erf = node("Erf", List.of(div(x, scalar("sqrt2", (float) Math.sqrt(2)))));
        String onePlus = add(erf, scalar("one", 1f));
        return mul(mul(x, onePlus), scalar("half", 0.5f));
    }

    /** Adds a node with one output and returns the output's name. */
    String node(String opType, List<String> in, Attribute... attributes) {
        String out = fresh(opType.toLowerCase(java.util.Locale.ROOT));
        Map<String, Attribute> attrs = new LinkedHashMap<>();
        for (Attribute a : attributes) {
            attrs.put(a.name(), a);
        }
        nodes.add(new Node(out + "_node", opType, Node.DEFAULT_DOMAIN, in, List.of(out), attrs));
        return out;
    }

    private String fresh(String hint) {
        return hint + "_" + counter++;
    }

    private double gaussian() {
        return random.nextGaussian();
    }
}
