package dev.sprig.core.graph;

import dev.sprig.core.ModelException;
import dev.sprig.core.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One operator application in a {@link Graph}: op type and domain, the names of its input and
 * output values, and its attributes. An empty input name is an omitted optional input (ONNX's
 * convention). Nodes are immutable; passes build new ones ({@link #withInputs}, ...).
 *
 * <p>The typed attribute getters return the default when the attribute is absent and throw a
 * {@link ModelException} naming the node when it is present with another kind.
 */
public final class Node {

    /** The ONNX default domain, also written {@code ai.onnx}. */
    public static final String DEFAULT_DOMAIN = "";

    private final String name;
    private final String opType;
    private final String domain;
    private final List<String> inputs;
    private final List<String> outputs;
    private final Map<String, Attribute> attributes;

    /** A node; {@code domain} "ai.onnx" is stored as the default domain "". */
    public Node(String name, String opType, String domain, List<String> inputs, List<String> outputs,
                Map<String, Attribute> attributes) {
        this.name = name == null ? "" : name;
        this.opType = Objects.requireNonNull(opType, "opType");
        this.domain = domain == null || domain.equals("ai.onnx") ? DEFAULT_DOMAIN : domain;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        this.attributes = Map.copyOf(new LinkedHashMap<>(attributes));
    }

    /** A node in the default domain with no attributes (for tests and passes). */
    public static Node of(String name, String opType, List<String> inputs, List<String> outputs) {
        return new Node(name, opType, DEFAULT_DOMAIN, inputs, outputs, Map.of());
    }

    /** The node's name in the model; "" when the model gives none. */
    public String name() {
        return name;
    }

    /** The operator, e.g. {@code Conv}; looked up with {@link #domain()} in the operator registry. */
    public String opType() {
        return opType;
    }

    /** The operator set domain: "" for ai.onnx, else e.g. {@code com.microsoft}. */
    public String domain() {
        return domain;
    }

    /** Input value names in order; "" for an omitted optional input. */
    public List<String> inputs() {
        return inputs;
    }

    /** Output value names in order; "" for an output the model does not use. */
    public List<String> outputs() {
        return outputs;
    }

    /** The attributes by name (unmodifiable). */
    public Map<String, Attribute> attributes() {
        return attributes;
    }

    /** True when input {@code i} exists and is not omitted. */
    public boolean hasInput(int i) {
        return i < inputs.size() && !inputs.get(i).isEmpty();
    }

    /** True when the node sets attribute {@code attr}. */
    public boolean hasAttribute(String attr) {
        return attributes.containsKey(attr);
    }

    /** INT attribute, or the default when absent. */
    public long attrInt(String attr, long defaultValue) {
        Attribute a = typed(attr, Attribute.Kind.INT);
        return a == null ? defaultValue : (Long) a.value();
    }

    /** FLOAT attribute, or the default when absent. */
    public float attrFloat(String attr, float defaultValue) {
        Attribute a = typed(attr, Attribute.Kind.FLOAT);
        return a == null ? defaultValue : (Float) a.value();
    }

    /** STRING attribute, or the default when absent. */
    public String attrString(String attr, String defaultValue) {
        Attribute a = typed(attr, Attribute.Kind.STRING);
        return a == null ? defaultValue : (String) a.value();
    }

    /** INTS attribute (a copy), or the default (not copied, may be null) when absent. */
    public long[] attrInts(String attr, long[] defaultValue) {
        Attribute a = typed(attr, Attribute.Kind.INTS);
        return a == null ? defaultValue : ((long[]) a.value()).clone();
    }

    /** FLOATS attribute (a copy), or the default (not copied, may be null) when absent. */
    public float[] attrFloats(String attr, float[] defaultValue) {
        Attribute a = typed(attr, Attribute.Kind.FLOATS);
        return a == null ? defaultValue : ((float[]) a.value()).clone();
    }

    /** TENSOR attribute, or null when absent. */
    public Tensor attrTensor(String attr) {
        Attribute a = typed(attr, Attribute.Kind.TENSOR);
        return a == null ? null : (Tensor) a.value();
    }

    /** STRINGS attribute, or the default when absent. */
    @SuppressWarnings("unchecked")
    public List<String> attrStrings(String attr, List<String> defaultValue) {
        Attribute a = typed(attr, Attribute.Kind.STRINGS);
        return a == null ? defaultValue : (List<String>) a.value();
    }

    /** A required attribute's INT value: a {@link ModelException} naming the node when absent. */
    public long requireInt(String attr) {
        requirePresent(attr);
        return attrInt(attr, 0);
    }

    /** A required INTS attribute (a copy). */
    public long[] requireInts(String attr) {
        requirePresent(attr);
        return attrInts(attr, null);
    }

    /** This node with other inputs (a pass rewiring the graph). */
    public Node withInputs(List<String> newInputs) {
        return new Node(name, opType, domain, newInputs, outputs, attributes);
    }

    /** This node with other outputs. */
    public Node withOutputs(List<String> newOutputs) {
        return new Node(name, opType, domain, inputs, newOutputs, attributes);
    }

    /** This node with one attribute added or replaced. */
    public Node withAttribute(Attribute attribute) {
        Map<String, Attribute> a = new LinkedHashMap<>(attributes);
        a.put(attribute.name(), attribute);
        return new Node(name, opType, domain, inputs, outputs, a);
    }

    /** e.g. {@code Conv node 'conv1'} or {@code com.microsoft:QLinearAdd node 'add_3'}: for messages. */
    public String describe() {
        return (domain.isEmpty() ? "" : domain + ":") + opType + " node '" + name + "'";
    }

    @Override
    public String toString() {
        return describe() + " " + inputs + " -> " + outputs + (attributes.isEmpty() ? "" : " " + attributes.values());
    }

    private Attribute typed(String attr, Attribute.Kind kind) {
        Attribute a = attributes.get(attr);
        if (a != null && a.kind() != kind) {
            throw new ModelException(describe() + ": attribute '" + attr + "' must be " + kind + ", got "
                    + a.kind());
        }
        return a;
    }

    private void requirePresent(String attr) {
        if (!attributes.containsKey(attr)) {
            throw new ModelException(describe() + ": required attribute '" + attr + "' is missing");
        }
    }
}
