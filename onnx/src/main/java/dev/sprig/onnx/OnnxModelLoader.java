package dev.sprig.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Attribute;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import dev.sprig.core.graph.ValueInfo;
import dev.sprig.onnx.proto.AttributeProto;
import dev.sprig.onnx.proto.GraphProto;
import dev.sprig.onnx.proto.ModelProto;
import dev.sprig.onnx.proto.NodeProto;
import dev.sprig.onnx.proto.OperatorSetIdProto;
import dev.sprig.onnx.proto.TensorProto;
import dev.sprig.onnx.proto.TensorShapeProto;
import dev.sprig.onnx.proto.TypeProto;
import dev.sprig.onnx.proto.ValueInfoProto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an ONNX model file ({@code ModelProto}) into a Sprig {@link Model}: the imported opsets,
 * and the main graph's nodes, attributes, initializers and declared inputs, outputs and value
 * types.
 *
 * <p>Graph inputs that are also initializers (older exporters, e.g. mnist-8, list every weight
 * as an input) are treated as constants and left out of {@link Graph#inputs()}. Initializers
 * and tensor attributes are decoded by {@link TensorProtos} (FLOAT16/BFLOAT16 become FLOAT;
 * external data is read from the model's directory).
 *
 * <p>Attribute defaults are not filled in here: operators apply them. Graph-valued attributes
 * (If, Loop, Scan bodies) and sparse tensors are rejected: Sprig has no control flow.
 *
 * <p>Files are treated as untrusted. Every size the file states is checked against the bytes
 * present and the {@link LoadOptions} limits before anything of that size is allocated; external
 * data cannot leave the model's directory; the graph's wiring is checked ({@link GraphStructure}:
 * cycles, values produced twice, inputs nothing produces, all named) and an attribute's declared
 * type must match the value it carries. Every failure is a {@link ModelLoadException} naming what
 * was wrong; no other exception escapes.
 */
public final class OnnxModelLoader {

    private OnnxModelLoader() {
    }

    /**
     * Loads the model in {@code file} within the default {@link LoadOptions}; external tensor data
     * is read from the file's directory.
     *
     * @throws ModelLoadException when the file cannot be read, is not an ONNX model, is
     *                            inconsistent, or uses something Sprig cannot represent
     */
    public static Model load(Path file) {
        return load(file, LoadOptions.defaults());
    }

    /**
     * Loads the model in {@code file} within {@code options}' limits; the message of any failure
     * starts with the file name.
     *
     * @throws ModelLoadException for everything wrong with the file, including the limits
     */
    public static Model load(Path file, LoadOptions options) {
        try {
            LoadBudget budget = new LoadBudget(options);
            byte[] bytes = TensorProtos.readBounded(file, "model file", budget);
            return load(bytes, file.toAbsolutePath().getParent(), budget);
        } catch (ModelLoadException e) {
            throw new ModelLoadException(file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw ModelLoadException.internal(e);
        }
    }

    /**
     * Loads a model from its serialized bytes within the default {@link LoadOptions}; {@code baseDir}
     * is where external tensor data lives (null when there is none: a model that refers to external
     * data is then rejected).
     *
     * @throws ModelLoadException for everything wrong with the bytes
     */
    public static Model load(byte[] bytes, Path baseDir) {
        return load(bytes, baseDir, LoadOptions.defaults());
    }

    /**
     * {@link #load(byte[], Path)} within {@code options}' limits ({@code bytes} count towards
     * {@link LoadOptions#maxModelBytes()}).
     *
     * @throws ModelLoadException for everything wrong with the bytes, including the limits
     */
    public static Model load(byte[] bytes, Path baseDir, LoadOptions options) {
        try {
            LoadBudget budget = new LoadBudget(options);
            budget.chargeBytes(bytes.length, "the model");
            return load(bytes, baseDir, budget);
        } catch (ModelLoadException e) {
            throw e;
        } catch (RuntimeException e) {
            throw ModelLoadException.internal(e);
        }
    }

    private static Model load(byte[] bytes, Path baseDir, LoadBudget budget) {
        ModelProto proto = parse(bytes);
        if (!proto.hasGraph()) {
            throw new ModelLoadException("the model has no graph (ModelProto.graph is missing)");
        }
        if (proto.getOpsetImportCount() == 0) {
            throw new ModelLoadException("the model imports no operator set (ModelProto.opset_import is empty)");
        }
        Map<String, Integer> opsets = new LinkedHashMap<>();
        for (OperatorSetIdProto o : proto.getOpsetImportList()) {
            String domain = o.getDomain().equals("ai.onnx") ? "" : o.getDomain();
            if (o.getVersion() < 1 || o.getVersion() > Integer.MAX_VALUE) {
                throw new ModelLoadException("opset import of domain '" + o.getDomain() + "' has invalid version "
                        + o.getVersion());
            }
            Integer previous = opsets.put(domain, (int) o.getVersion());
            if (previous != null && previous != o.getVersion()) {
                throw new ModelLoadException("the model imports domain '" + o.getDomain() + "' twice, at opsets "
                        + previous + " and " + o.getVersion());
            }
        }
        String producer = proto.getProducerName()
                + (proto.getProducerVersion().isEmpty() ? "" : " " + proto.getProducerVersion());
        Graph graph = new GraphReader(baseDir, budget).read(proto.getGraph());
        return new Model(graph, opsets, proto.getIrVersion(), producer.trim());
    }

    private static ModelProto parse(byte[] bytes) {
        if (bytes.length == 0) {
            throw new ModelLoadException("the model is empty (0 bytes)");
        }
        try {
            return ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelLoadException("not a valid ONNX model (protobuf ModelProto) of " + bytes.length
                    + " bytes, truncated or not ONNX: " + e.getMessage(), e);
        }
    }

    /** Converts one GraphProto; holds the model directory for external data. */
    private static final class GraphReader {

        /** The attribute types Sprig represents ({@link Attribute.Kind}); the others are rejected by name. */
        private static final Set<AttributeProto.AttributeType> SUPPORTED_KINDS = EnumSet.of(
                AttributeProto.AttributeType.FLOAT, AttributeProto.AttributeType.INT,
                AttributeProto.AttributeType.STRING, AttributeProto.AttributeType.TENSOR,
                AttributeProto.AttributeType.FLOATS, AttributeProto.AttributeType.INTS,
                AttributeProto.AttributeType.STRINGS, AttributeProto.AttributeType.TENSORS);

        private final Path baseDir;
        private final LoadBudget budget;

        GraphReader(Path baseDir, LoadBudget budget) {
            this.baseDir = baseDir;
            this.budget = budget;
        }

        Graph read(GraphProto g) {
            if (g.getSparseInitializerCount() > 0) {
                throw new ModelLoadException("graph '" + g.getName() + "' has " + g.getSparseInitializerCount()
                        + " sparse initializer(s) (first '" + g.getSparseInitializer(0).getValues().getName()
                        + "'), which Sprig does not support");
            }
            Map<String, Tensor> initializers = new LinkedHashMap<>();
            for (TensorProto t : g.getInitializerList()) {
                if (t.getName().isEmpty()) {
                    throw new ModelLoadException("graph '" + g.getName() + "' has an initializer without a name");
                }
                Tensor value = TensorProtos.toTensor(t, baseDir, "initializer '" + t.getName() + "'", budget);
                if (initializers.put(t.getName(), value) != null) {
                    throw new ModelLoadException("initializer '" + t.getName() + "' is defined twice");
                }
            }
            List<ValueInfo> inputs = new ArrayList<>();
            for (ValueInfoProto v : g.getInputList()) {
                if (!initializers.containsKey(v.getName())) {
                    inputs.add(valueInfo(v, "graph input"));
                }
            }
            List<ValueInfo> outputs = new ArrayList<>();
            for (ValueInfoProto v : g.getOutputList()) {
                outputs.add(valueInfo(v, "graph output"));
            }
            List<ValueInfo> valueInfos = new ArrayList<>();
            for (ValueInfoProto v : g.getValueInfoList()) {
                valueInfos.add(valueInfo(v, "value_info"));
            }
            List<Node> nodes = new ArrayList<>(g.getNodeCount());
            for (int i = 0; i < g.getNodeCount(); i++) {
                nodes.add(node(g.getNode(i), i));
            }
            nodes = GraphStructure.checkAndSort(nodes, inputs, initializers.keySet(), outputs);
            return new Graph(g.getName(), nodes, inputs, outputs, initializers, valueInfos);
        }

        private static ValueInfo valueInfo(ValueInfoProto v, String role) {
            if (v.getName().isEmpty()) {
                throw new ModelLoadException("a " + role + " has no name");
            }
            if (!v.hasType()) {
                return new ValueInfo(v.getName(), null, null);
            }
            TypeProto type = v.getType();
            if (type.getValueCase() == TypeProto.ValueCase.VALUE_NOT_SET) {
                return new ValueInfo(v.getName(), null, null);
            }
            if (!type.hasTensorType()) {
                throw new ModelLoadException(role + " '" + v.getName() + "' is a " + containerName(type)
                        + ", not a tensor; Sprig runs tensors only");
            }
            TypeProto.Tensor tt = type.getTensorType();
            DType dtype = null;
            int code = tt.getElemType();
            if (code != 0) {
                dtype = runnableType(code, role + " '" + v.getName() + "'");
            }
            List<ValueInfo.Dim> dims = null;
            if (tt.hasShape()) {
                dims = new ArrayList<>();
                for (TensorShapeProto.Dimension d : tt.getShape().getDimList()) {
                    if (d.hasDimValue() && d.getDimValue() >= 0) {
                        dims.add(ValueInfo.Dim.of(d.getDimValue()));
                    } else {
                        dims.add(ValueInfo.Dim.symbolic(d.hasDimParam() ? d.getDimParam() : null));
                    }
                }
            }
            return new ValueInfo(v.getName(), dtype, dims);
        }

        private static DType runnableType(int code, String what) {
            for (DType t : DType.values()) {
                if (t.onnxCode() == code) {
                    return t;
                }
            }
            throw new ModelLoadException(what + " has element type " + TensorProtos.typeName(code) + "(" + code
                    + "), which Sprig does not run; supported: FLOAT(1), UINT8(2), INT8(3), INT32(6), INT64(7),"
                    + " BOOL(9)");
        }

        private static String containerName(TypeProto type) {
            return switch (type.getValueCase()) {
                case SEQUENCE_TYPE -> "sequence";
                case MAP_TYPE -> "map";
                case OPTIONAL_TYPE -> "optional";
                case SPARSE_TENSOR_TYPE -> "sparse tensor";
                default -> type.getValueCase().name().toLowerCase();
            };
        }

        private Node node(NodeProto n, int index) {
            if (n.getOpType().isEmpty()) {
                throw new ModelLoadException("node " + index + " ('" + n.getName() + "') has no op_type");
            }
            Node shell = new Node(n.getName(), n.getOpType(), n.getDomain(), n.getInputList(), n.getOutputList(),
                    Map.of());
            Map<String, Attribute> attributes = new LinkedHashMap<>();
            for (AttributeProto a : n.getAttributeList()) {
                Attribute attr = attribute(a, shell);
                if (attributes.put(attr.name(), attr) != null) {
                    throw new ModelLoadException(shell.describe() + ": attribute '" + a.getName() + "' is given twice");
                }
            }
            return new Node(n.getName(), n.getOpType(), n.getDomain(), n.getInputList(), n.getOutputList(),
                    attributes);
        }

        private Attribute attribute(AttributeProto a, Node node) {
            String name = a.getName();
            if (name.isEmpty()) {
                throw new ModelLoadException(node.describe() + ": an attribute has no name");
            }
            if (!a.getRefAttrName().isEmpty()) {
                throw new ModelLoadException(node.describe() + ": attribute '" + name + "' refers to function attribute '"
                        + a.getRefAttrName() + "', which is only valid inside a function body");
            }
            AttributeProto.AttributeType type = a.getType() == AttributeProto.AttributeType.UNDEFINED
                    ? inferType(a, node) : a.getType();
            String what = node.describe() + " attribute '" + name + "'";
            if (SUPPORTED_KINDS.contains(type)) {
                checkValueMatchesType(a, type, what);
            }
            return switch (type) {
                case FLOAT -> new Attribute(name, Attribute.Kind.FLOAT, a.getF());
                case INT -> new Attribute(name, Attribute.Kind.INT, a.getI());
                case STRING -> new Attribute(name, Attribute.Kind.STRING, a.getS().toStringUtf8());
                case TENSOR -> new Attribute(name, Attribute.Kind.TENSOR, TensorProtos.toTensor(a.getT(), baseDir, what,
                        budget));
                case FLOATS -> {
                    float[] v = new float[a.getFloatsCount()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = a.getFloats(i);
                    }
                    yield new Attribute(name, Attribute.Kind.FLOATS, v);
                }
                case INTS -> {
                    long[] v = new long[a.getIntsCount()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = a.getInts(i);
                    }
                    yield new Attribute(name, Attribute.Kind.INTS, v);
                }
                case STRINGS -> {
                    List<String> v = new ArrayList<>(a.getStringsCount());
                    for (ByteString s : a.getStringsList()) {
                        v.add(s.toString(StandardCharsets.UTF_8));
                    }
                    yield new Attribute(name, Attribute.Kind.STRINGS, List.copyOf(v));
                }
                case TENSORS -> {
                    List<Tensor> v = new ArrayList<>(a.getTensorsCount());
                    for (int i = 0; i < a.getTensorsCount(); i++) {
                        v.add(TensorProtos.toTensor(a.getTensors(i), baseDir, what + " tensor " + i, budget));
                    }
                    yield new Attribute(name, Attribute.Kind.TENSORS, List.copyOf(v));
                }
                case GRAPH, GRAPHS -> throw new ModelLoadException(what + " is a " + type
                        + " (a subgraph): control flow is not supported by Sprig");
                case SPARSE_TENSOR, SPARSE_TENSORS -> throw new ModelLoadException(what + " is a " + type
                        + ": sparse tensor attributes are not supported by Sprig");
                case TYPE_PROTO, TYPE_PROTOS -> throw new ModelLoadException(what + " is a " + type
                        + ": type attributes are not supported by Sprig");
                case UNDEFINED -> throw new IllegalStateException("inferType returned UNDEFINED");
            };
        }

        /**
         * A declared type must be the one value field the attribute carries: a scalar kind needs its
         * field, and no field of another kind may be set (an INT attribute carrying floats would
         * otherwise read as 0). Empty lists are valid lists.
         */
        private static void checkValueMatchesType(AttributeProto a, AttributeProto.AttributeType type, String what) {
            List<AttributeProto.AttributeType> set = valueFields(a);
            for (AttributeProto.AttributeType field : set) {
                if (field != type) {
                    throw new ModelLoadException(what + " is declared " + type + " but carries a " + field
                            + " value" + (set.size() > 1 ? " (fields set: " + set + ")" : ""));
                }
            }
            boolean scalar = switch (type) {
                case FLOAT, INT, STRING, TENSOR -> true;
                default -> false;
            };
            if (scalar && !set.contains(type)) {
                throw new ModelLoadException(what + " is declared " + type + " but has no value");
            }
        }

        /** The value fields set in {@code a}, as the attribute types they belong to. */
        private static List<AttributeProto.AttributeType> valueFields(AttributeProto a) {
            List<AttributeProto.AttributeType> set = new ArrayList<>();
            addIf(set, a.hasF(), AttributeProto.AttributeType.FLOAT);
            addIf(set, a.hasI(), AttributeProto.AttributeType.INT);
            addIf(set, a.hasS(), AttributeProto.AttributeType.STRING);
            addIf(set, a.hasT(), AttributeProto.AttributeType.TENSOR);
            addIf(set, a.hasG(), AttributeProto.AttributeType.GRAPH);
            addIf(set, a.hasSparseTensor(), AttributeProto.AttributeType.SPARSE_TENSOR);
            addIf(set, a.getFloatsCount() > 0, AttributeProto.AttributeType.FLOATS);
            addIf(set, a.getIntsCount() > 0, AttributeProto.AttributeType.INTS);
            addIf(set, a.getStringsCount() > 0, AttributeProto.AttributeType.STRINGS);
            addIf(set, a.getTensorsCount() > 0, AttributeProto.AttributeType.TENSORS);
            addIf(set, a.getGraphsCount() > 0, AttributeProto.AttributeType.GRAPHS);
            addIf(set, a.getSparseTensorsCount() > 0, AttributeProto.AttributeType.SPARSE_TENSORS);
            addIf(set, a.hasTp(), AttributeProto.AttributeType.TYPE_PROTO);
            addIf(set, a.getTypeProtosCount() > 0, AttributeProto.AttributeType.TYPE_PROTOS);
            return set;
        }

        /**
         * The kind of an attribute written without its {@code type} field (IR version 1 files):
         * the one value field that is set.
         */
        private static AttributeProto.AttributeType inferType(AttributeProto a, Node node) {
            List<AttributeProto.AttributeType> set = valueFields(a);
            if (set.size() != 1) {
                throw new ModelLoadException(node.describe() + ": attribute '" + a.getName() + "' has no type and "
                        + (set.isEmpty() ? "no value" : "several values " + set));
            }
            return set.get(0);
        }

        private static void addIf(List<AttributeProto.AttributeType> set, boolean present,
                                  AttributeProto.AttributeType type) {
            if (present) {
                set.add(type);
            }
        }
    }
}
