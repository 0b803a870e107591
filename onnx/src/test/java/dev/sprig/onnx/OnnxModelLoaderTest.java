package dev.sprig.onnx;

import static dev.sprig.onnx.TensorProtosTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import dev.sprig.core.DType;
import dev.sprig.core.Shape;
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
import dev.sprig.onnx.proto.StringStringEntryProto;
import dev.sprig.onnx.proto.TensorProto;
import dev.sprig.onnx.proto.TensorShapeProto;
import dev.sprig.onnx.proto.TypeProto;
import dev.sprig.onnx.proto.ValueInfoProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model import from protos built with the generated builders: structure, attributes, errors. */
class OnnxModelLoaderTest {

    @TempDir
    Path dir;

    static ValueInfoProto tensorValue(String name, int elemType, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof Number n) {
                dim.setDimValue(n.longValue());
            } else if (d != null) {
                dim.setDimParam((String) d);
            }
            shape.addDim(dim);
        }
        return ValueInfoProto.newBuilder().setName(name)
                .setType(TypeProto.newBuilder().setTensorType(
                        TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape)))
                .build();
    }

    private static TensorProto floats(String name, float[] values, long... dims) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(1);
        for (long d : dims) {
            b.addDims(d);
        }
        for (float v : values) {
            b.addFloatData(v);
        }
        return b.build();
    }

    private static AttributeProto.Builder attr(String name, AttributeProto.AttributeType type) {
        return AttributeProto.newBuilder().setName(name).setType(type);
    }

    private static ModelProto.Builder model(GraphProto.Builder graph, int opset) {
        return ModelProto.newBuilder()
                .setIrVersion(8)
                .setProducerName("unit-test")
                .setProducerVersion("1.0")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph);
    }

    /** x[batch,4] -> Gemm(x, W, B) -> y, with W listed as an input too (as mnist-8 does). */
    private static GraphProto.Builder gemmGraph() {
        float[] w = new float[12];
        Arrays.fill(w, 0.5f);
        return GraphProto.newBuilder()
                .setName("g")
                .addInput(tensorValue("x", 1, "batch", 4))
                .addInput(tensorValue("W", 1, 4, 3))
                .addInitializer(floats("W", w, 4, 3))
                .addInitializer(floats("B", new float[]{1, 2, 3}, 3))
                .addOutput(tensorValue("y", 1, "batch", 3))
                .addValueInfo(tensorValue("t", 1, null, 3))
                .addNode(NodeProto.newBuilder().setName("gemm0").setOpType("Gemm")
                        .addInput("x").addInput("W").addInput("B").addOutput("y")
                        .addAttribute(attr("alpha", AttributeProto.AttributeType.FLOAT).setF(0.5f))
                        .addAttribute(attr("transB", AttributeProto.AttributeType.INT).setI(0)));
    }

    @Test
    void loadsStructureAndExcludesInitializersFromInputs() {
        ModelProto.Builder m = model(gemmGraph(), 13)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("com.microsoft").setVersion(1));
        Model model = OnnxModelLoader.load(m.build().toByteArray(), null);
        assertEquals(8, model.irVersion());
        assertEquals("unit-test 1.0", model.producer());
        assertEquals(13, model.opset(""));
        assertEquals(13, model.opset("ai.onnx"));
        assertEquals(1, model.opset("com.microsoft"));
        Graph g = model.graph();
        assertEquals("g", g.name());
        assertEquals(List.of("x"), g.inputs().stream().map(ValueInfo::name).toList());
        ValueInfo x = g.inputs().get(0);
        assertEquals(DType.FLOAT, x.type());
        assertEquals(List.of(ValueInfo.Dim.symbolic("batch"), ValueInfo.Dim.of(4)), x.shape());
        assertEquals("y", g.outputs().get(0).name());
        assertEquals(List.of(ValueInfo.Dim.symbolic(null), ValueInfo.Dim.of(3)), g.valueInfos().get(0).shape());
        assertEquals(List.of("W", "B"), List.copyOf(g.initializers().keySet()));
        assertEquals(Shape.of(4, 3), g.initializers().get("W").shape());
        assertArrayEquals(new float[]{1, 2, 3}, g.initializers().get("B").floatData());
        Node gemm = g.nodes().get(0);
        assertEquals("Gemm", gemm.opType());
        assertEquals("", gemm.domain());
        assertEquals(List.of("x", "W", "B"), gemm.inputs());
        assertEquals(0.5f, gemm.attrFloat("alpha", 1f));
        assertEquals(0L, gemm.attrInt("transB", 1));
        assertEquals(2, gemm.attributes().size());
    }

    @Test
    void convertsEveryAttributeKind() {
        TensorProto t = floats("t", new float[]{7f}, 1);
        NodeProto node = NodeProto.newBuilder().setName("n").setOpType("Custom").setDomain("my.domain")
                .addInput("x").addInput("").addOutput("y")
                .addAttribute(attr("f", AttributeProto.AttributeType.FLOAT).setF(-1.5f))
                .addAttribute(attr("i", AttributeProto.AttributeType.INT).setI(1L << 40))
                .addAttribute(attr("s", AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8("größe")))
                .addAttribute(attr("t", AttributeProto.AttributeType.TENSOR).setT(t))
                .addAttribute(attr("fs", AttributeProto.AttributeType.FLOATS).addFloats(1f).addFloats(2.5f))
                .addAttribute(attr("is", AttributeProto.AttributeType.INTS).addInts(-1).addInts(3))
                .addAttribute(attr("ss", AttributeProto.AttributeType.STRINGS)
                        .addStrings(ByteString.copyFromUtf8("a")).addStrings(ByteString.copyFromUtf8("bc")))
                .addAttribute(attr("ts", AttributeProto.AttributeType.TENSORS).addTensors(t).addTensors(t))
                .addAttribute(attr("empty_ints", AttributeProto.AttributeType.INTS))
                // IR v1 style: no type field, the kind comes from the one value present
                .addAttribute(AttributeProto.newBuilder().setName("legacy").addInts(5).addInts(6))
                .build();
        GraphProto.Builder g = GraphProto.newBuilder().addInput(tensorValue("x", 1, 1)).addNode(node)
                .addOutput(tensorValue("y", 1, 1));
        Node n = OnnxModelLoader.load(model(g, 17).build().toByteArray(), null).graph().nodes().get(0);
        assertEquals("my.domain", n.domain());
        assertEquals(List.of("x", ""), n.inputs());
        assertEquals(-1.5f, n.attrFloat("f", 0));
        assertEquals(1L << 40, n.attrInt("i", 0));
        assertEquals("größe", n.attrString("s", null));
        assertArrayEquals(new float[]{7f}, n.attrTensor("t").floatData());
        assertArrayEquals(new float[]{1f, 2.5f}, n.attrFloats("fs", null));
        assertArrayEquals(new long[]{-1, 3}, n.attrInts("is", null));
        assertEquals(List.of("a", "bc"), n.attrStrings("ss", null));
        Attribute ts = n.attributes().get("ts");
        assertEquals(Attribute.Kind.TENSORS, ts.kind());
        assertEquals(2, ((List<?>) ts.value()).size());
        assertEquals(7f, ((Tensor) ((List<?>) ts.value()).get(1)).floatData()[0]);
        assertArrayEquals(new long[0], n.attrInts("empty_ints", null));
        assertArrayEquals(new long[]{5, 6}, n.attrInts("legacy", null));
    }

    @Test
    void subgraphAttributesAreRejectedNamingNodeAndAttribute() {
        NodeProto ifNode = NodeProto.newBuilder().setName("branch").setOpType("If").addInput("c").addOutput("y")
                .addAttribute(attr("then_branch", AttributeProto.AttributeType.GRAPH).setG(GraphProto.newBuilder()))
                .build();
        GraphProto.Builder g = GraphProto.newBuilder().addInput(tensorValue("c", 9)).addNode(ifNode)
                .addOutput(tensorValue("y", 1));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> OnnxModelLoader.load(model(g, 13).build().toByteArray(), null));
        assertContains(e, "If node 'branch'", "then_branch", "GRAPH", "control flow");

        NodeProto sparse = NodeProto.newBuilder().setName("k").setOpType("Constant").addOutput("y")
                .addAttribute(attr("sparse_value", AttributeProto.AttributeType.SPARSE_TENSOR)).build();
        GraphProto.Builder g2 = GraphProto.newBuilder().addNode(sparse).addOutput(tensorValue("y", 1));
        ModelLoadException s = assertThrows(ModelLoadException.class,
                () -> OnnxModelLoader.load(model(g2, 13).build().toByteArray(), null));
        assertContains(s, "Constant node 'k'", "sparse_value", "SPARSE_TENSOR");
    }

    @Test
    void badInitializerNamesTheInitializer() {
        GraphProto.Builder g = gemmGraph().addInitializer(floats("C", new float[]{1, 2}, 3));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> OnnxModelLoader.load(model(g, 13).build().toByteArray(), null));
        assertContains(e, "initializer 'C'", "[3]", "float_data has 2");
    }

    @Test
    void unsupportedValueTypesAreNamed() {
        GraphProto.Builder doubles = GraphProto.newBuilder().addInput(tensorValue("x", 11, 2))
                .addOutput(tensorValue("x", 11, 2));
        ModelLoadException d = assertThrows(ModelLoadException.class,
                () -> OnnxModelLoader.load(model(doubles, 13).build().toByteArray(), null));
        assertContains(d, "graph input 'x'", "DOUBLE(11)");

        ValueInfoProto seq = ValueInfoProto.newBuilder().setName("s").setType(TypeProto.newBuilder()
                .setSequenceType(TypeProto.Sequence.newBuilder())).build();
        GraphProto.Builder seqGraph = GraphProto.newBuilder().addInput(seq).addOutput(seq);
        ModelLoadException s = assertThrows(ModelLoadException.class,
                () -> OnnxModelLoader.load(model(seqGraph, 13).build().toByteArray(), null));
        assertContains(s, "graph input 's'", "sequence");

        // an input without a type is allowed: type and shape unknown
        GraphProto.Builder untyped = GraphProto.newBuilder()
                .addInput(ValueInfoProto.newBuilder().setName("u")).addOutput(tensorValue("u", 1));
        ValueInfo u = OnnxModelLoader.load(model(untyped, 13).build().toByteArray(), null).graph().inputs().get(0);
        assertNull(u.type());
        assertNull(u.shape());
    }

    @Test
    void malformedFilesGiveClearErrors() {
        ModelLoadException empty = assertThrows(ModelLoadException.class, () -> OnnxModelLoader.load(new byte[0], null));
        assertContains(empty, "empty");

        ModelLoadException garbage = assertThrows(ModelLoadException.class,
                () -> OnnxModelLoader.load(new byte[]{0x0F, 0x00, 0x01}, null));
        assertContains(garbage, "not a valid ONNX model");

        byte[] whole = model(gemmGraph(), 13).build().toByteArray();
        byte[] truncated = Arrays.copyOf(whole, whole.length - 3);
        ModelLoadException cut = assertThrows(ModelLoadException.class, () -> OnnxModelLoader.load(truncated, null));
        assertContains(cut, "not a valid ONNX model", "truncated");

        ModelLoadException noGraph = assertThrows(ModelLoadException.class, () -> OnnxModelLoader.load(
                model(gemmGraph(), 13).clearGraph().build().toByteArray(), null));
        assertContains(noGraph, "no graph");

        ModelLoadException noOpset = assertThrows(ModelLoadException.class, () -> OnnxModelLoader.load(
                model(gemmGraph(), 13).clearOpsetImport().build().toByteArray(), null));
        assertContains(noOpset, "imports no operator set");

        GraphProto.Builder noOp = GraphProto.newBuilder().addNode(NodeProto.newBuilder().setName("x"));
        ModelLoadException op = assertThrows(ModelLoadException.class,
                () -> OnnxModelLoader.load(model(noOp, 13).build().toByteArray(), null));
        assertContains(op, "node 0 ('x') has no op_type");

        GraphProto.Builder dup = gemmGraph().addInitializer(floats("B", new float[]{1}, 1));
        ModelLoadException twice = assertThrows(ModelLoadException.class,
                () -> OnnxModelLoader.load(model(dup, 13).build().toByteArray(), null));
        assertContains(twice, "initializer 'B' is defined twice");
    }

    @Test
    void loadFromFileReadsExternalDataBesideIt() throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putFloat(4f).putFloat(5f).putFloat(6f);
        Files.write(dir.resolve("model.data"), bytes.array());
        TensorProto ext = TensorProto.newBuilder().setName("B").setDataType(1).addDims(3)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("model.data"))
                .build();
        GraphProto.Builder g = gemmGraph();
        g.setInitializer(1, ext);
        Path file = dir.resolve("model.onnx");
        Files.write(file, model(g, 13).build().toByteArray());
        Model m = OnnxModelLoader.load(file);
        assertArrayEquals(new float[]{4f, 5f, 6f}, m.graph().initializers().get("B").floatData());

        ModelLoadException missing = assertThrows(ModelLoadException.class,
                () -> OnnxModelLoader.load(dir.resolve("absent.onnx")));
        assertContains(missing, "cannot read model file", "absent.onnx");

        Files.write(dir.resolve("bad.onnx"), new byte[]{0x0F});
        ModelLoadException bad = assertThrows(ModelLoadException.class, () -> OnnxModelLoader.load(dir.resolve("bad.onnx")));
        assertContains(bad, "bad.onnx", "not a valid ONNX model");
    }
}
