package dev.sprig.core.ops.nn;

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

/** Builds one node with attributes and runs it through the standard registry: the way a session would. */
final class NodeRunner {

    /** A pool of two threads for the thread-count checks (daemon threads; never closed). */
    static final ThreadPool TWO = ThreadPool.create(2);

    private final String opType;
    private final Map<String, Attribute> attributes = new LinkedHashMap<>();
    private int outputs = 1;
    private int opset;

    private NodeRunner(String opType, int opset) {
        this.opType = opType;
        this.opset = opset;
    }

    static NodeRunner op(String opType, int opset) {
        return new NodeRunner(opType, opset);
    }

    NodeRunner attr(String name, long v) {
        attributes.put(name, Attribute.of(name, v));
        return this;
    }

    NodeRunner attr(String name, float v) {
        attributes.put(name, Attribute.of(name, v));
        return this;
    }

    NodeRunner attr(String name, String v) {
        attributes.put(name, Attribute.of(name, v));
        return this;
    }

    NodeRunner attr(String name, int... v) {
        long[] l = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            l[i] = v[i];
        }
        attributes.put(name, Attribute.of(name, l));
        return this;
    }

    NodeRunner outputs(int n) {
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
        return new Node("test", opType, "", in, out, attributes);
    }

    /** Runs on one thread. */
    Tensor[] run(Tensor... inputs) {
        return run(OpContext.SERIAL, inputs);
    }

    Tensor[] run(OpContext context, Tensor... inputs) {
        return OperatorRegistry.standard().create(node(inputs), opset).run(inputs, context);
    }

    /** Runs on one and on two threads, checks the two results are bitwise identical, returns the first. */
    Tensor[] runBothThreadCounts(Tensor... inputs) {
        Tensor[] one = run(OpContext.SERIAL, inputs);
        Tensor[] two = run(new OpContext(TWO), inputs);
        for (int i = 0; i < one.length; i++) {
            double[] a = one[i].toDoubleArray();
            double[] b = two[i].toDoubleArray();
            for (int j = 0; j < a.length; j++) {
                if (Double.doubleToRawLongBits(a[j]) != Double.doubleToRawLongBits(b[j])) {
                    throw new AssertionError(opType + " output " + i + " differs between 1 and 2 threads at " + j
                            + ": " + a[j] + " vs " + b[j]);
                }
            }
        }
        return one;
    }
}
