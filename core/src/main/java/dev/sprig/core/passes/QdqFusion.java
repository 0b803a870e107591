package dev.sprig.core.passes;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Attribute;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.fused.FusedOperators;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs QDQ-format convolutions as integer ones: {@code DequantizeLinear(x) -> Conv(DequantizeLinear(w),
 * DequantizeLinear(b)) -> [Relu] -> [MaxPool] -> QuantizeLinear} becomes {@code QLinearConv} (or
 * {@code dev.sprig:QLinearConv} clamping at the output zero point for the Relu), followed by the
 * MaxPool on the quantized values. The weights stay INT8 (4x smaller) and the products are exact
 * integer sums; the rewrite is what QDQ means by the ONNX definitions — QLinearConv's bias is
 * INT32 with scale {@code x_scale * w_scale} and zero point 0, {@code Q(relu(v)) = max(Q(v), zp)}
 * and {@code Q(maxpool(v)) = maxpool(Q(v))} because quantization is monotone — up to the float
 * rounding of the unfused Conv, which the integer sum does not have.
 *
 * <p>Only constant, per-tensor activation scales and zero points, constant INT8/UINT8 weights
 * (per tensor or per output channel, axis 0) and an INT32 bias of exactly the right scale are
 * fused; anything else is left as it is. Runs before constant folding, which would otherwise
 * turn the weights' DequantizeLinear into FLOAT weights.
 */
public final class QdqFusion implements GraphPass {

    @Override
    public Graph apply(Graph graph, PassContext context) {
        Map<String, Tensor> constants = new LinkedHashMap<>(graph.initializers());
        GraphUses uses = new GraphUses(graph);
        Set<Node> absorbed = new HashSet<>();
        List<Node> nodes = new ArrayList<>();
        for (Node node : graph.nodes()) {
            if (absorbed.contains(node)) {
                continue;
            }
            List<Node> fused = node.opType().equals("Conv") && node.domain().isEmpty()
                    ? fuse(node, uses, constants, absorbed, context) : null;
            if (fused == null) {
                nodes.add(node);
            } else {
                nodes.addAll(fused);
            }
        }
        return absorbed.isEmpty() ? graph : graph.with(nodes, constants);
    }

    private static List<Node> fuse(Node conv, GraphUses uses, Map<String, Tensor> constants, Set<Node> absorbed,
                                   PassContext context) {
        if (!conv.hasInput(0) || conv.outputs().isEmpty()) {
            return null; // malformed: left for the session to report with the node named
        }
        Node dx = dequantize(uses, conv.inputs().get(0));
        Node dw = conv.hasInput(1) ? dequantize(uses, conv.inputs().get(1)) : null;
        if (dx == null || dw == null || !dx.hasInput(2) || !scalarFloat(constants, dx.inputs().get(1))
                || !scalar(constants, dx.inputs().get(2))) {
            return null;
        }
        Tensor w = constants.get(dw.inputs().get(0));
        Tensor wScale = dw.hasInput(1) ? constants.get(dw.inputs().get(1)) : null;
        if (w == null || (w.dtype() != DType.INT8 && w.dtype() != DType.UINT8) || w.shape().rank() < 3
                || wScale == null || wScale.dtype() != DType.FLOAT) {
            return null;
        }
        int m = w.shape().dim(0);
        boolean perChannel = wScale.size() > 1;
        if (perChannel && (wScale.size() != m || dw.attrInt("axis", 1) != 0)) {
            return null;
        }
        String wZero;
        if (dw.hasInput(2)) {
            wZero = dw.inputs().get(2);
            if (constants.get(wZero) == null) {
                return null;
            }
        } else {
            // the spec's default zero point, of the weights' type
            wZero = FreshName.of(conv.name() + "_w_zero_point", constants);
            constants.put(wZero, Tensor.wrap(w.dtype(), new byte[1], Shape.scalar()));
        }
        String bias = "";
        if (conv.hasInput(2)) {
            Node db = dequantize(uses, conv.inputs().get(2));
            Tensor b = db == null ? null : constants.get(db.inputs().get(0));
            if (b == null || b.dtype() != DType.INT32 || !biasScaleMatches(db, constants, dx, wScale)) {
                return null;
            }
            bias = db.inputs().get(0);
        }
        // the chain after the Conv: [Relu] [MaxPool] QuantizeLinear, each the only reader
        String value = conv.outputs().get(0);
        Node relu = MatMulBiasFusion.single(uses, value, "Relu");
        if (relu != null) {
            value = relu.outputs().get(0);
        }
        Node pool = MatMulBiasFusion.single(uses, value, "MaxPool");
        if (pool != null && (pool.outputs().size() > 1 && !pool.outputs().get(1).isEmpty()
                || context.opset(pool) < 12)) {
            return null; // Indices, or a MaxPool version without 8-bit inputs
        }
        if (pool != null) {
            value = pool.outputs().get(0);
        }
        Node q = MatMulBiasFusion.single(uses, value, "QuantizeLinear");
        if (q == null || !q.hasInput(2) || !scalarFloat(constants, q.inputs().get(1))
                || !scalar(constants, q.inputs().get(2))) {
            return null;
        }
        String out = q.outputs().get(0);
        String convOut = pool == null ? out : FreshName.of(out + "_before_pool", constants);
        List<String> inputs = new ArrayList<>(List.of(dx.inputs().get(0), dx.inputs().get(1), dx.inputs().get(2),
                dw.inputs().get(0), dw.inputs().get(1), wZero, q.inputs().get(1), q.inputs().get(2)));
        if (!bias.isEmpty()) {
            inputs.add(bias);
        }
        Node qconv = new Node(conv.name(), "QLinearConv", relu == null ? "" : FusedOperators.DOMAIN, inputs,
                List.of(convOut), conv.attributes());
        if (relu != null) {
            qconv = qconv.withAttribute(Attribute.of("activation", "Relu"));
            absorbed.add(relu);
        }
        absorbed.add(q);
        List<Node> result = new ArrayList<>(List.of(qconv));
        if (pool != null) {
            absorbed.add(pool);
            result.add(pool.withInputs(List.of(convOut)).withOutputs(List.of(out)));
        }
        return result;
    }

    /** The DequantizeLinear producing {@code value}, or null. */
    private static Node dequantize(GraphUses uses, String value) {
        Node p = uses.producer(value);
        return p != null && p.opType().equals("DequantizeLinear") && p.domain().isEmpty() ? p : null;
    }

    /** The bias's DequantizeLinear has zero point 0 and scale x_scale * w_scale (as float products). */
    private static boolean biasScaleMatches(Node db, Map<String, Tensor> constants, Node dx, Tensor wScale) {
        Tensor bScale = db.hasInput(1) ? constants.get(db.inputs().get(1)) : null;
        if (bScale == null || bScale.dtype() != DType.FLOAT || bScale.size() != wScale.size()) {
            return false;
        }
        if (db.hasInput(2)) {
            Tensor z = constants.get(db.inputs().get(2));
            if (z == null) {
                return false;
            }
            for (double v : z.toDoubleArray()) {
                if (v != 0) {
                    return false;
                }
            }
        }
        double xScale = constants.get(dx.inputs().get(1)).toDoubleArray()[0];
        double[] ws = wScale.toDoubleArray();
        double[] bs = bScale.toDoubleArray();
        for (int i = 0; i < ws.length; i++) {
            double expected = (float) (xScale * ws[i]);
            if (Math.abs(bs[i] - expected) > 1e-6 * Math.abs(expected)) {
                return false;
            }
        }
        return true;
    }

    private static boolean scalarFloat(Map<String, Tensor> constants, String name) {
        Tensor t = constants.get(name);
        return t != null && t.dtype() == DType.FLOAT && t.size() == 1;
    }

    private static boolean scalar(Map<String, Tensor> constants, String name) {
        Tensor t = constants.get(name);
        return t != null && t.size() == 1;
    }

}
