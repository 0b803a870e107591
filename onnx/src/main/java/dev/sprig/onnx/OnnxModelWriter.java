package dev.sprig.onnx;

import com.google.protobuf.ByteString;
import dev.sprig.core.ModelException;
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
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Writes a Sprig {@link Model} as an ONNX file ({@code ModelProto}) that {@link OnnxModelLoader}
 * and other runtimes read: the opset imports, the graph's nodes with every kind of
 * {@link Attribute}, the initializers as little-endian {@code raw_data}, and the declared inputs,
 * outputs and value types.
 *
 * <p>Models of IR version below 4 must list every initializer as a graph input too (the loader
 * drops those from {@link Graph#inputs()} again), so the writer adds them for such models.
 * Everything is stored inside the one file: a model whose tensors exceed protobuf's 2 GiB message
 * limit is rejected rather than written with external data.
 */
public final class OnnxModelWriter {

    /** IR version written when the model does not carry one (ONNX 1.14+, opsets up to 19). */
    static final long DEFAULT_IR_VERSION = 9;
    /** First IR version in which initializers need not be graph inputs. */
    private static final long IR_INITIALIZERS_OPTIONAL_AS_INPUTS = 4;
    /** Protobuf refuses to parse messages of 2 GiB or more. */
    private static final long MAX_MODEL_BYTES = Integer.MAX_VALUE;

    private OnnxModelWriter() {
    }

    /** Writes {@code model} to {@code file} (created or replaced). */
    public static void write(Model model, Path file) {
        ModelProto proto = toProto(model);
        try (OutputStream out = Files.newOutputStream(file)) {
            proto.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The serialized {@code ModelProto} of {@code model}. */
    public static byte[] toBytes(Model model) {
        return toProto(model).toByteArray();
    }

    /**
     * The {@code ModelProto} of {@code model}.
     *
     * @throws ModelException when the model's tensors do not fit one protobuf message (2 GiB)
     */
    public static ModelProto toProto(Model model) {
        long tensorBytes = 0;
        for (Tensor t : model.graph().initializers().values()) {
            tensorBytes += (long) t.size() * t.dtype().byteSize();
        }
        if (tensorBytes >= MAX_MODEL_BYTES) {
            throw new ModelException("the model's initializers take " + tensorBytes + " bytes; a single ONNX file"
                    + " holds less than 2 GiB and Sprig does not write external data");
        }
        long irVersion = model.irVersion() > 0 ? model.irVersion() : DEFAULT_IR_VERSION;
        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(irVersion)
                .setProducerName(model.producer())
                .setGraph(graph(model.graph(), irVersion));
        model.opsets().forEach((domain, version) ->
                m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version)));
        return m.build();
    }

    /**
     * The {@code TensorProto} of {@code tensor}: dims, data type and the elements as little-endian
     * {@code raw_data} (BOOL as one byte 0 or 1); {@code name} may be empty (attribute tensors).
     */
    public static TensorProto tensorProto(Tensor tensor, String name) {
        Tensor t = tensor.contiguous();
        TensorProto.Builder b = TensorProto.newBuilder().setDataType(t.dtype().onnxCode());
        if (!name.isEmpty()) {
            b.setName(name);
        }
        for (int d : t.shape().dims()) {
            b.addDims(d);
        }
        int n = t.size();
        ByteBuffer raw = ByteBuffer.allocate(n * t.dtype().byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        int off = t.offset();
        switch (t.dtype()) {
            case FLOAT -> raw.asFloatBuffer().put(t.floatData(), off, n);
            case INT8, UINT8 -> raw.put(t.byteData(), off, n);
            case INT32 -> raw.asIntBuffer().put(t.intData(), off, n);
            case INT64 -> raw.asLongBuffer().put(t.longData(), off, n);
            case BOOL -> {
                boolean[] v = t.booleanData();
                for (int i = 0; i < n; i++) {
                    raw.put(i, (byte) (v[off + i] ? 1 : 0));
                }
            }
        }
        return b.setRawData(ByteString.copyFrom(raw.array())).build();
    }

    private static GraphProto graph(Graph g, long irVersion) {
        GraphProto.Builder b = GraphProto.newBuilder().setName(g.name());
        for (Node node : g.nodes()) {
            b.addNode(node(node));
        }
        for (Map.Entry<String, Tensor> e : g.initializers().entrySet()) {
            b.addInitializer(tensorProto(e.getValue(), e.getKey()));
        }
        for (ValueInfo v : g.inputs()) {
            b.addInput(valueInfo(v));
        }
        if (irVersion < IR_INITIALIZERS_OPTIONAL_AS_INPUTS) {
            // IR < 4: an initializer that is not also an input is invalid (onnx checker, onnxruntime)
            g.initializers().forEach((name, t) -> b.addInput(valueInfo(new ValueInfo(name, t.dtype(),
                    Arrays.stream(t.shape().dims()).mapToObj(ValueInfo.Dim::of).toList()))));
        }
        for (ValueInfo v : g.outputs()) {
            b.addOutput(valueInfo(v));
        }
        for (ValueInfo v : g.valueInfos()) {
            b.addValueInfo(valueInfo(v));
        }
        return b.build();
    }

    private static ValueInfoProto valueInfo(ValueInfo v) {
        ValueInfoProto.Builder b = ValueInfoProto.newBuilder().setName(v.name());
        if (v.type() == null && v.shape() == null) {
            return b.build();
        }
        TypeProto.Tensor.Builder tt = TypeProto.Tensor.newBuilder();
        if (v.type() != null) {
            tt.setElemType(v.type().onnxCode());
        }
        if (v.shape() != null) {
            TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
            for (ValueInfo.Dim d : v.shape()) {
                TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
                if (d.isFixed()) {
                    dim.setDimValue(d.value());
                } else if (d.symbol() != null) {
                    dim.setDimParam(d.symbol());
                }
                // neither set: an unknown dimension
                shape.addDim(dim);
            }
            tt.setShape(shape);
        }
        return b.setType(TypeProto.newBuilder().setTensorType(tt)).build();
    }

    private static NodeProto node(Node node) {
        NodeProto.Builder b = NodeProto.newBuilder()
                .setOpType(node.opType())
                .addAllInput(node.inputs())
                .addAllOutput(node.outputs());
        if (!node.name().isEmpty()) {
            b.setName(node.name());
        }
        if (!node.domain().isEmpty()) {
            b.setDomain(node.domain());
        }
        // sorted by name: Node keeps its attributes in an unordered map, and a stable order makes
        // the written bytes reproducible
        node.attributes().values().stream()
                .sorted(Comparator.comparing(Attribute::name))
                .forEach(a -> b.addAttribute(attribute(a)));
        return b.build();
    }

    @SuppressWarnings("unchecked")
    private static AttributeProto attribute(Attribute a) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(a.name());
        switch (a.kind()) {
            case FLOAT -> b.setType(AttributeProto.AttributeType.FLOAT).setF((Float) a.value());
            case INT -> b.setType(AttributeProto.AttributeType.INT).setI((Long) a.value());
            case STRING -> b.setType(AttributeProto.AttributeType.STRING)
                    .setS(ByteString.copyFrom((String) a.value(), StandardCharsets.UTF_8));
            case TENSOR -> b.setType(AttributeProto.AttributeType.TENSOR).setT(tensorProto((Tensor) a.value(), ""));
            case FLOATS -> {
                b.setType(AttributeProto.AttributeType.FLOATS);
                for (float f : (float[]) a.value()) {
                    b.addFloats(f);
                }
            }
            case INTS -> {
                b.setType(AttributeProto.AttributeType.INTS);
                for (long i : (long[]) a.value()) {
                    b.addInts(i);
                }
            }
            case STRINGS -> {
                b.setType(AttributeProto.AttributeType.STRINGS);
                for (String s : (List<String>) a.value()) {
                    b.addStrings(ByteString.copyFrom(s, StandardCharsets.UTF_8));
                }
            }
            case TENSORS -> {
                b.setType(AttributeProto.AttributeType.TENSORS);
                for (Tensor t : (List<Tensor>) a.value()) {
                    b.addTensors(tensorProto(t, ""));
                }
            }
        }
        return b.build();
    }
}
