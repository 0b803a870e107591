package dev.sprig.core.ops;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Operator factories by (domain, op type, opset version). A factory is registered with the opset
 * version its behaviour starts at ({@code since}); a node gets the factory with the highest
 * {@code since} not above the opset its model imports for the node's domain, which is how a
 * model keeps the semantics of its own opset (ONNX versions an op only when it changes).
 *
 * <p>{@link #standard()} holds every operator Sprig implements; a registry can also be built up
 * by hand (tests, or a user adding a custom op).
 */
public final class OperatorRegistry {

    private static final class Standard {
        static final OperatorRegistry INSTANCE = buildStandard();
    }

    private final Map<String, NavigableMap<Integer, OperatorFactory>> factories = new HashMap<>();

    /** An empty registry. */
    public OperatorRegistry() {
    }

    /** The registry of every operator Sprig implements (built once, then read-only by convention). */
    public static OperatorRegistry standard() {
        return Standard.INSTANCE;
    }

    private static OperatorRegistry buildStandard() {
        OperatorRegistry r = new OperatorRegistry();
        // one line per operator family
        dev.sprig.core.ops.nn.NnOperators.register(r);
        dev.sprig.core.ops.reduce.ReduceOperators.register(r);
        dev.sprig.core.ops.fused.FusedOperators.register(r);
        dev.sprig.core.ops.elementwise.ElementwiseOperators.register(r);
        dev.sprig.core.ops.shape.ShapeOperators.register(r);
        dev.sprig.core.ops.quant.QuantOperators.register(r);
        dev.sprig.core.ops.sparse.SparseOperators.register(r);
        return r;
    }

    /** Registers {@code factory} for {@code opType} in {@code domain} ("" for ai.onnx) from opset {@code since}. */
    public OperatorRegistry register(String domain, String opType, int since, OperatorFactory factory) {
        NavigableMap<Integer, OperatorFactory> versions =
                factories.computeIfAbsent(key(domain, opType), k -> new TreeMap<>());
        if (versions.putIfAbsent(since, factory) != null) {
            throw new IllegalStateException(opType + " since opset " + since + " is registered twice");
        }
        return this;
    }

    /**
     * A mutable copy of this registry, to {@link #replace} some operators' implementations (a
     * kernel of the user's own, or a test twin) without touching the shared standard registry.
     */
    public OperatorRegistry copy() {
        OperatorRegistry c = new OperatorRegistry();
        factories.forEach((k, v) -> c.factories.put(k, new TreeMap<>(v)));
        return c;
    }

    /**
     * Puts {@code factory} in place of the one registered for {@code opType} of {@code domain}
     * since opset {@code since}.
     *
     * @throws IllegalStateException when no factory is registered there (a replacement that would
     *                               silently add an operator instead is a mistake)
     */
    public OperatorRegistry replace(String domain, String opType, int since, OperatorFactory factory) {
        NavigableMap<Integer, OperatorFactory> versions = factories.get(key(domain, opType));
        if (versions == null || !versions.containsKey(since)) {
            throw new IllegalStateException(opType + " of domain '" + domain + "' since opset " + since
                    + " is not registered: nothing to replace (registered versions: "
                    + (versions == null ? "none" : versions.keySet()) + ")");
        }
        versions.put(since, factory);
        return this;
    }

    /** Registers {@code factory} for an ai.onnx op. */
    public OperatorRegistry register(String opType, int since, OperatorFactory factory) {
        return register("", opType, since, factory);
    }

    /** True when some factory covers {@code opType} of {@code domain} at {@code opset}. */
    public boolean supports(String domain, String opType, int opset) {
        NavigableMap<Integer, OperatorFactory> versions = factories.get(key(domain, opType));
        return versions != null && versions.floorKey(opset) != null;
    }

    /** Every registered op type, as {@code opType} or {@code domain:opType}, sorted. */
    public Set<String> opTypes() {
        return new TreeSet<>(factories.keySet());
    }

    /**
     * The operator of {@code node} under {@code opset} (the version its model imports for the
     * node's domain; -1 when it imports none).
     *
     * @throws UnsupportedOperatorException when no factory covers the node, naming op type,
     *                                      domain, opset and node
     */
    public Operator create(Node node, int opset) {
        return create(node, opset, Map.of());
    }

    /**
     * {@link #create(Node, int)} with the graph's constant values, which operators with constant
     * weights use to prepare them once (see {@link OperatorFactory#create(Node, int, Map)}).
     */
    public Operator create(Node node, int opset, Map<String, Tensor> constants) {
        NavigableMap<Integer, OperatorFactory> versions = factories.get(key(node.domain(), node.opType()));
        String domain = node.domain().isEmpty() ? "ai.onnx" : node.domain();
        if (opset < 0) {
            throw new UnsupportedOperatorException(node.describe() + ": the model imports no opset for domain "
                    + domain);
        }
        if (versions == null) {
            throw new UnsupportedOperatorException(node.describe() + ": operator " + node.opType() + " of domain "
                    + domain + " (opset " + opset + ") is not supported by Sprig");
        }
        Map.Entry<Integer, OperatorFactory> e = versions.floorEntry(opset);
        if (e == null) {
            throw new UnsupportedOperatorException(node.describe() + ": operator " + node.opType() + " of domain "
                    + domain + " at opset " + opset + " is not supported; Sprig implements it from opset "
                    + versions.firstKey());
        }
        return e.getValue().create(node, opset, constants);
    }

    private static String key(String domain, String opType) {
        return domain == null || domain.isEmpty() || domain.equals("ai.onnx") ? opType : domain + ":" + opType;
    }
}
