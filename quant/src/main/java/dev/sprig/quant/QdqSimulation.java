package dev.sprig.quant;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The FP32 simulation ("fake quantization") of a QDQ model, built from standard float operators
 * only, so it runs without the quantized operators: each activation
 * {@code QuantizeLinear(x, s, z)} becomes {@code Clip(Round(x / s) + z, qmin, qmax)} (Round is
 * half to even, as QuantizeLinear rounds) and each {@code DequantizeLinear(q, s, z)} of it
 * {@code (q - z) * s}; a DequantizeLinear of constants (weights, biases) is computed once into a
 * FLOAT initializer. The results equal the QDQ model's as ONNX defines it: the same float
 * division, rounding, clamping and multiplication.
 */
public final class QdqSimulation {

    private QdqSimulation() {
    }

    /**
     * The float simulation of {@code qdq} (opset 11 or newer: Round and Clip's min/max inputs).
     *
     * @throws IllegalArgumentException when a quantized tensor is read by anything other than a
     *                                  DequantizeLinear, or an activation is quantized per axis
     */
    public static Model toFloat(Model qdq) {
        Graph g = qdq.graph();
        if (qdq.opset("") < 11) {
            throw new IllegalArgumentException("the float simulation needs opset 11 or newer (Round), the model"
                    + " imports " + qdq.opset(""));
        }
        UniqueNames names = new UniqueNames(g);
        Map<String, Tensor> init = new LinkedHashMap<>(g.initializers());
        Map<String, DType> quantizedType = new HashMap<>();
        List<Node> nodes = new ArrayList<>();
        for (Node n : g.nodes()) {
            boolean onnx = n.domain().isEmpty();
            if (onnx && n.opType().equals("DequantizeLinear") && init.containsKey(n.inputs().get(0))) {
                init.put(n.outputs().get(0), dequantizeConstant(n, init));
            } else if (onnx && n.opType().equals("QuantizeLinear")) {
                Tensor zero = n.hasInput(2) ? init.get(n.inputs().get(2)) : null;
                DType type = zero == null ? DType.UINT8 : zero.dtype();
                quantizedType.put(n.outputs().get(0), type);
                String x = n.inputs().get(0);
                float s = scalar(n, init, 1);
                float z = n.hasInput(2) ? scalar(n, init, 2) : 0;
                String base = n.outputs().get(0);
                String scaled = names.fresh(base + "_scaled");
                String rounded = names.fresh(base + "_rounded");
                String shifted = names.fresh(base + "_shifted");
                nodes.add(Node.of(names.fresh(base + "_div"), "Div", List.of(x, constant(init, names, base + "_s", s)),
                        List.of(scaled)));
                nodes.add(Node.of(names.fresh(base + "_round"), "Round", List.of(scaled), List.of(rounded)));
                nodes.add(Node.of(names.fresh(base + "_add"), "Add",
                        List.of(rounded, constant(init, names, base + "_z", z)), List.of(shifted)));
                float lo = type == DType.UINT8 ? 0 : -128;
                float hi = type == DType.UINT8 ? 255 : 127;
                nodes.add(Node.of(names.fresh(base + "_clip"), "Clip", List.of(shifted,
                        constant(init, names, base + "_min", lo), constant(init, names, base + "_max", hi)),
                        List.of(base)));
            } else if (onnx && n.opType().equals("DequantizeLinear")) {
                String q = n.inputs().get(0);
                if (!quantizedType.containsKey(q)) {
                    throw new IllegalArgumentException(n.describe() + ": its input '" + q + "' is not a constant nor"
                            + " the output of a QuantizeLinear, so it cannot be simulated in float");
                }
                float s = scalar(n, init, 1);
                float z = n.hasInput(2) ? scalar(n, init, 2) : 0;
                String base = n.outputs().get(0);
                String centred = names.fresh(base + "_centred");
                nodes.add(Node.of(names.fresh(base + "_sub"), "Sub", List.of(q, constant(init, names, base + "_z", z)),
                        List.of(centred)));
                nodes.add(Node.of(names.fresh(base + "_mul"), "Mul",
                        List.of(centred, constant(init, names, base + "_s", s)), List.of(base)));
            } else {
                for (String in : n.inputs()) {
                    if (quantizedType.containsKey(in)) {
                        throw new IllegalArgumentException(n.describe() + " reads quantized tensor '" + in
                                + "'; the float simulation handles quantized tensors read by DequantizeLinear only");
                    }
                }
                nodes.add(n);
            }
        }
        Graph out = new Graph(g.name(), nodes, g.inputs(), g.outputs(),
                QdqModelBuilder.liveInitializers(init, nodes, g), g.valueInfos());
        return new Model(out, qdq.opsets(), qdq.irVersion(), qdq.producer());
    }

    private static String constant(Map<String, Tensor> init, UniqueNames names, String base, float v) {
        String name = names.fresh(base);
        init.put(name, Tensor.scalar(v));
        return name;
    }

    private static float scalar(Node n, Map<String, Tensor> init, int input) {
        Tensor t = init.get(n.inputs().get(input));
        if (t == null || t.size() != 1) {
            throw new IllegalArgumentException(n.describe() + ": input " + input + " must be a constant scalar for an"
                    + " activation (per-tensor quantization), got " + (t == null ? "a computed value" : t.shape()));
        }
        return (float) t.getDouble(new int[t.shape().rank()]);
    }

    /** DequantizeLinear of constants: {@code (x - zero) * scale} per tensor or per axis, in float. */
    static Tensor dequantizeConstant(Node n, Map<String, Tensor> init) {
        Tensor x = init.get(n.inputs().get(0)).contiguous();
        Tensor scale = init.get(n.inputs().get(1));
        Tensor zero = n.hasInput(2) ? init.get(n.inputs().get(2)) : null;
        if (scale == null || (n.hasInput(2) && zero == null)) {
            throw new IllegalArgumentException(n.describe() + ": scale and zero point of a constant must be constants");
        }
        double[] s = scale.toDoubleArray();
        double[] z = zero == null ? new double[s.length] : zero.toDoubleArray();
        double[] v = x.toDoubleArray();
        int[] dims = x.shape().dims();
        int inner = v.length;
        int channels = 1;
        if (s.length > 1) {
            int axis = x.shape().normalizeAxis((int) n.attrInt("axis", 1));
            channels = dims[axis];
            inner = 1;
            for (int d = axis + 1; d < dims.length; d++) {
                inner *= dims[d];
            }
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            int c = inner == 0 ? 0 : (i / inner) % channels;
            // (x - zero) is exact in float for 8-bit and 32-bit-bias ranges used here; then one float product
            out[i] = (float) (v[i] - z[c]) * (float) s[c];
        }
        return Tensor.wrap(DType.FLOAT, out, Shape.of(dims));
    }
}
