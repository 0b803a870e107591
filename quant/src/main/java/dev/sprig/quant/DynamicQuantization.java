package dev.sprig.quant;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Attribute;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dynamic quantization of MatMul (and Gemm without transA, alpha 1) with a constant 2-D weight:
 * the weight is stored as symmetric INT8 (per output column, or per tensor), the activation is
 * quantized at run time by {@code DynamicQuantizeLinear} (UINT8, its range taken from each
 * input), and the product becomes
 * <pre>
 *   MatMulInteger(x_q, w_q, x_zero_point) -> Cast(FLOAT) -> Mul(x_scale * w_scale) [-> Add(beta * C)]
 * </pre>
 * which is what transformer encoders need: no calibration data, and ranges that follow each
 * input. One DynamicQuantizeLinear serves every layer reading the same activation.
 */
final class DynamicQuantization {

    private DynamicQuantization() {
    }

    static Model apply(Model model, QuantConfig config) {
        Graph g = model.graph();
        UniqueNames names = new UniqueNames(g);
        Map<String, Tensor> init = new LinkedHashMap<>(g.initializers());
        Map<String, String[]> quantized = new HashMap<>();
        List<Node> nodes = new ArrayList<>();
        for (Node n : g.nodes()) {
            Tensor w = weight(n, g, config);
            if (w == null) {
                nodes.add(n);
                continue;
            }
            String base = n.name().isEmpty() ? n.outputs().get(0) : n.name();
            String x = n.inputs().get(0);
            String[] xq = quantized.get(x);
            if (xq == null) {
                xq = new String[]{names.fresh(x + "_quantized"), names.fresh(x + "_scale"),
                    names.fresh(x + "_zero_point")};
                nodes.add(Node.of(names.fresh(x + "_DynamicQuantizeLinear"), "DynamicQuantizeLinear", List.of(x),
                        List.of(xq)));
                quantized.put(x, xq);
            }
            SymmetricWeights sw = config.perChannelWeights() ? SymmetricWeights.perChannel(w, 1)
                    : SymmetricWeights.perTensor(w);
            String wq = names.fresh(n.inputs().get(1) + "_quantized");
            String ws = names.fresh(n.inputs().get(1) + "_scale");
            init.put(wq, sw.values());
            init.put(ws, sw.scales().length == 1 ? Tensor.scalar(sw.scales()[0])
                    : Tensor.of(sw.scales().clone(), sw.scales().length));
            String acc = names.fresh(base + "_int32");
            String accF = names.fresh(base + "_int32_float");
            String scale = names.fresh(base + "_output_scale");
            nodes.add(Node.of(names.fresh(base + "_MatMulInteger"), "MatMulInteger", List.of(xq[0], wq, xq[2]),
                    List.of(acc)));
            nodes.add(new Node(names.fresh(base + "_Cast"), "Cast", "", List.of(acc), List.of(accF),
                    Map.of("to", Attribute.of("to", (long) DType.FLOAT.onnxCode()))));
            nodes.add(Node.of(names.fresh(base + "_scale_Mul"), "Mul", List.of(xq[1], ws), List.of(scale)));
            boolean addC = n.opType().equals("Gemm") && n.hasInput(2);
            String product = addC ? names.fresh(base + "_product") : n.outputs().get(0);
            nodes.add(Node.of(names.fresh(base + "_output_Mul"), "Mul", List.of(accF, scale), List.of(product)));
            if (addC) {
                String c = n.inputs().get(2);
                float beta = n.attrFloat("beta", 1f);
                if (beta != 1f) {
                    Tensor ct = init.get(c);
                    if (ct == null || ct.dtype() != DType.FLOAT) {
                        throw new IllegalStateException(n.describe() + ": beta != 1 needs a constant FLOAT C");
                    }
                    double[] v = ct.toDoubleArray();
                    float[] scaled = new float[v.length];
                    for (int i = 0; i < v.length; i++) {
                        scaled[i] = (float) v[i] * beta;
                    }
                    c = names.fresh(c + "_times_beta");
                    init.put(c, Tensor.wrap(DType.FLOAT, scaled, ct.shape()));
                }
                nodes.add(Node.of(names.fresh(base + "_bias_Add"), "Add", List.of(product, c), n.outputs()));
            }
        }
        Graph out = new Graph(g.name(), nodes, g.inputs(), g.outputs(), QdqModelBuilder.liveInitializers(init, nodes, g),
                g.valueInfos());
        return new Model(out, model.opsets(), model.irVersion(), model.producer());
    }

    /** The [K, N] FLOAT weight of a MatMul/Gemm to quantize dynamically, or null to leave the node alone. */
    private static Tensor weight(Node n, Graph g, QuantConfig config) {
        if (!n.domain().isEmpty() || config.excludes(n) || n.inputs().size() < 2) {
            return null;
        }
        boolean matMul = n.opType().equals("MatMul");
        boolean gemm = n.opType().equals("Gemm") && n.attrInt("transA", 0) == 0 && n.attrFloat("alpha", 1f) == 1f
                && (!n.hasInput(2) || n.attrFloat("beta", 1f) == 1f || g.initializers().containsKey(n.inputs().get(2)));
        if (!matMul && !gemm) {
            return null;
        }
        Tensor w = g.initializers().get(n.inputs().get(1));
        if (w == null || w.dtype() != DType.FLOAT || w.shape().rank() != 2
                || g.initializers().containsKey(n.inputs().get(0))) {
            return null;
        }
        if (gemm && n.attrInt("transB", 0) != 0) {
            // store B^T so MatMulInteger reads [K, N]
            return w.permute(1, 0).contiguous();
        }
        return w;
    }
}
