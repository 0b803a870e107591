package dev.sprig.prune;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.ValueInfo;
import dev.sprig.core.session.Session;
import dev.sprig.core.session.SessionOptions;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** The shape of every value of a model in one run, node for node (graph passes off). */
final class ValueShapes {

    private ValueShapes() {
    }

    /** Shapes when the model runs on {@code inputs}. */
    static Map<String, int[]> observe(Model model, Map<String, Tensor> inputs) {
        Map<String, int[]> shapes = new HashMap<>();
        inputs.forEach((k, v) -> shapes.put(k, v.shape().dims()));
        try (Session s = Session.create(model, new SessionOptions(1, false))) {
            s.run(inputs, (index, node, in, out, nanos) -> {
                for (int j = 0; j < out.length && j < node.outputs().size(); j++) {
                    if (out[j] != null && !node.outputs().get(j).isEmpty()) {
                        shapes.put(node.outputs().get(j), out[j].shape().dims());
                    }
                }
            });
        }
        return shapes;
    }

    /** The first calibration sample, or zeros of the declared input shapes when there is none. */
    static Map<String, Tensor> sample(Model model, Iterable<Map<String, Tensor>> calibration) {
        Iterator<Map<String, Tensor>> it = calibration.iterator();
        if (it.hasNext()) {
            return it.next();
        }
        Map<String, Tensor> zeros = new LinkedHashMap<>();
        for (ValueInfo in : model.graph().inputs()) {
            if (in.shape() == null || in.type() == null) {
                throw new IllegalArgumentException("no calibration data, and input '" + in.name()
                        + "' declares no full type and shape to make a sample from: give calibration data");
            }
            long[] dims = new long[in.shape().size()];
            for (int i = 0; i < dims.length; i++) {
                ValueInfo.Dim d = in.shape().get(i);
                if (!d.isFixed()) {
                    throw new IllegalArgumentException("no calibration data, and input " + in
                            + " has a symbolic dimension: give calibration data");
                }
                dims[i] = d.value();
            }
            zeros.put(in.name(), Tensor.zeros(in.type() == null ? DType.FLOAT : in.type(), Shape.ofLongs(dims)));
        }
        return zeros;
    }
}
