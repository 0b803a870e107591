package dev.sprig.core.ops.quant;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Attribute;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.OperatorRegistry;
import dev.sprig.kernels.ThreadPool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds one node and runs it through the standard registry on one and on two threads. */
final class QuantNode {

    private static final ThreadPool TWO = ThreadPool.create(2);

    private final String domain;
    private final String opType;
    private final int opset;
    private final Map<String, Attribute> attributes = new LinkedHashMap<>();
    private int outputs = 1;

    private QuantNode(String domain, String opType, int opset) {
        this.domain = domain;
        this.opType = opType;
        this.opset = opset;
    }

    static QuantNode op(String opType, int opset) {
        return new QuantNode("", opType, opset);
    }

    static QuantNode microsoft(String opType) {
        return new QuantNode(QuantOperators.MICROSOFT, opType, 1);
    }

    QuantNode attr(String name, long v) {
        attributes.put(name, Attribute.of(name, v));
        return this;
    }

    QuantNode attr(String name, String v) {
        attributes.put(name, Attribute.of(name, v));
        return this;
    }

    QuantNode ints(String name, int... v) {
        long[] l = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            l[i] = v[i];
        }
        attributes.put(name, Attribute.of(name, l));
        return this;
    }

    QuantNode outputs(int n) {
        outputs = n;
        return this;
    }

    Node node(Tensor... inputs) {
        List<String> in = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            in.add(inputs[i] == null ? "" : "in" + i);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < outputs; i++) {
            out.add("out" + i);
        }
        return new Node("test", opType, domain, in, out, attributes);
    }

    /** Runs with the inputs as graph constants (so weights get pre-packed) when {@code constants}. */
    Tensor[] run(OpContext context, boolean constants, Tensor... inputs) {
        Node node = node(inputs);
        Map<String, Tensor> values = new LinkedHashMap<>();
        if (constants) {
            for (int i = 0; i < inputs.length; i++) {
                if (inputs[i] != null) {
                    values.put("in" + i, inputs[i]);
                }
            }
        }
        return OperatorRegistry.standard().create(node, opset, values).run(inputs, context);
    }

    /**
     * Runs on one thread without constants, on two threads with every input a constant, and checks
     * the two results are identical; returns the first.
     */
    Tensor[] run(Tensor... inputs) {
        Tensor[] one = run(OpContext.SERIAL, false, inputs);
        Tensor[] two = run(new OpContext(TWO), true, inputs);
        for (int i = 0; i < one.length; i++) {
            double[] a = one[i].toDoubleArray();
            double[] b = two[i].toDoubleArray();
            if (!one[i].shape().equals(two[i].shape()) || one[i].dtype() != two[i].dtype()) {
                throw new AssertionError(opType + " output " + i + ": 1 thread " + one[i] + ", 2 threads " + two[i]);
            }
            for (int j = 0; j < a.length; j++) {
                if (Double.doubleToRawLongBits(a[j]) != Double.doubleToRawLongBits(b[j])) {
                    throw new AssertionError(opType + " output " + i + " differs between 1 thread and 2 threads"
                            + " (pre-packed) at " + j + ": " + a[j] + " vs " + b[j]);
                }
            }
        }
        return one;
    }
}
