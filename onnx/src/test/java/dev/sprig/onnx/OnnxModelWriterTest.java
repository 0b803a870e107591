package dev.sprig.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Attribute;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import dev.sprig.core.graph.ValueInfo;
import dev.sprig.core.session.Session;
import dev.sprig.core.session.SessionOptions;
import dev.sprig.onnx.proto.ModelProto;
import dev.sprig.onnx.proto.TensorProto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OnnxModelWriter}: load -> write -> load gives the same graph (every attribute kind, every
 * element type, symbolic and unknown dimensions), the bytes follow the ONNX encoding (checked
 * against hand-written little-endian bytes), and mnist-8 written and read back computes
 * bitwise the same outputs.
 */
class OnnxModelWriterTest {

    @Test
    void rawDataIsLittleEndianInRowMajorOrder() {
        // 1.0f = 0x3F800000, -2.0f = 0xC0000000; a transposed view is written in its logical order
        Tensor t = Tensor.of(new float[]{1f, 0f, -2f, 0f}, 2, 2).permute(1, 0);
        TensorProto p = OnnxModelWriter.tensorProto(t, "w");
        assertEquals("w", p.getName());
        assertEquals(1, p.getDataType());
        assertEquals(List.of(2L, 2L), p.getDimsList());
        assertArrayEquals(new byte[]{0, 0, (byte) 0x80, 0x3F, 0, 0, 0, (byte) 0xC0, 0, 0, 0, 0, 0, 0, 0, 0},
                p.getRawData().toByteArray());

        TensorProto i32 = OnnxModelWriter.tensorProto(Tensor.of(new int[]{-2, 258}, 2), "");
        assertEquals(6, i32.getDataType());
        assertArrayEquals(new byte[]{(byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 2, 1, 0, 0},
                i32.getRawData().toByteArray());
        TensorProto bools = OnnxModelWriter.tensorProto(Tensor.of(new boolean[]{true, false, true}, 3), "");
        assertEquals(9, bools.getDataType());
        assertArrayEquals(new byte[]{1, 0, 1}, bools.getRawData().toByteArray());
        TensorProto scalar = OnnxModelWriter.tensorProto(Tensor.of(new long[]{-1}), "");
        assertEquals(0, scalar.getDimsCount());
        assertArrayEquals(new byte[]{-1, -1, -1, -1, -1, -1, -1, -1}, scalar.getRawData().toByteArray());
    }

    @Test
    void everyAttributeKindAndElementTypeRoundTrips() {
        Map<String, Attribute> attrs = new LinkedHashMap<>();
        attrs.put("f", Attribute.of("f", 0.25f));
        attrs.put("i", Attribute.of("i", -7L));
        attrs.put("s", Attribute.of("s", "héllo"));
        attrs.put("t", Attribute.of("t", Tensor.ofUint8(new byte[]{(byte) 200, 3}, 2)));
        attrs.put("fs", Attribute.of("fs", new float[]{1.5f, Float.NEGATIVE_INFINITY, -0f}));
        attrs.put("is", Attribute.of("is", new long[]{Long.MIN_VALUE, 0, 5}));
        attrs.put("ss", new Attribute("ss", Attribute.Kind.STRINGS, List.of("a", "", "ü")));
        attrs.put("ts", new Attribute("ts", Attribute.Kind.TENSORS,
                List.of(Tensor.scalar(3f), Tensor.ofInt8(new byte[]{-128, 127}, 1, 2))));
        Node custom = new Node("n0", "Custom", "com.example", List.of("x", "", "w_i8"), List.of("y", ""), attrs);
        Node plain = Node.of("", "Relu", List.of("y"), List.of("z"));
        Map<String, Tensor> init = new LinkedHashMap<>();
        init.put("w_f32", Tensor.of(new float[]{Float.NaN, -1e-30f, 3.4e38f}, 3));
        init.put("w_u8", Tensor.ofUint8(new byte[]{0, (byte) 255}, 2, 1));
        init.put("w_i8", Tensor.ofInt8(new byte[]{-128, 0, 127}, 3));
        init.put("w_i32", Tensor.of(new int[]{Integer.MIN_VALUE, Integer.MAX_VALUE}, 2));
        init.put("w_i64", Tensor.of(new long[]{Long.MAX_VALUE}, 1, 1));
        init.put("w_bool", Tensor.of(new boolean[]{true, false}, 2));
        init.put("w_empty", Tensor.zeros(DType.FLOAT, Shape.of(0, 4)));
        List<ValueInfo> inputs = List.of(new ValueInfo("x", DType.FLOAT,
                List.of(ValueInfo.Dim.symbolic("batch"), ValueInfo.Dim.symbolic(null), ValueInfo.Dim.of(3))));
        List<ValueInfo> outputs = List.of(new ValueInfo("z", DType.FLOAT, null), new ValueInfo("y", null, null));
        List<ValueInfo> infos = List.of(new ValueInfo("y", DType.INT64, List.of()));
        Graph g = new Graph("g", List.of(custom, plain), inputs, outputs, init, infos);
        Model model = new Model(g, Map.of("", 17, "com.example", 2), 8, "sprig-test 1.0");

        Model back = OnnxModelLoader.load(OnnxModelWriter.toBytes(model), null);
        assertSameModel(model, back);
    }

    @Test
    void oldIrVersionsListInitializersAsInputs() {
        Graph g = new Graph("old", List.of(Node.of("add", "Add", List.of("x", "b"), List.of("y"))),
                List.of(new ValueInfo("x", DType.FLOAT, List.of(ValueInfo.Dim.of(2)))),
                List.of(new ValueInfo("y", DType.FLOAT, List.of(ValueInfo.Dim.of(2)))),
                Map.of("b", Tensor.of(new float[]{1, 2}, 2)), List.of());
        ModelProto ir3 = OnnxModelWriter.toProto(new Model(g, Map.of("", 8), 3, ""));
        assertEquals(List.of("x", "b"), ir3.getGraph().getInputList().stream().map(v -> v.getName()).toList());
        assertEquals(List.of(2L), ir3.getGraph().getInput(1).getType().getTensorType().getShape().getDimList()
                .stream().map(d -> d.getDimValue()).toList());
        ModelProto ir7 = OnnxModelWriter.toProto(new Model(g, Map.of("", 13), 7, ""));
        assertEquals(List.of("x"), ir7.getGraph().getInputList().stream().map(v -> v.getName()).toList());
        assertSameModel(new Model(g, Map.of("", 8), 3, ""), OnnxModelLoader.load(ir3.toByteArray(), null));
    }

    @Test
    void mnist8WrittenAndReadBackComputesTheSameOutputs(@TempDir Path tmp) throws Exception {
        Path dir = TestData.root().resolve("models/mnist-8");
        Assumptions.assumeTrue(Files.exists(dir.resolve("model.onnx")), () -> TestData.skipReason("models/mnist-8"));
        Model original = OnnxModelLoader.load(dir.resolve("model.onnx"));
        Path file = tmp.resolve("mnist-copy.onnx");
        OnnxModelWriter.write(original, file);
        Model copy = OnnxModelLoader.load(file);
        assertSameModel(original, copy);

        List<Path> sets;
        try (Stream<Path> s = Files.list(dir)) {
            sets = s.filter(d -> d.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
        }
        assertTrue(!sets.isEmpty(), "mnist-8 has test_data_set folders");
        String input = original.graph().inputs().get(0).name();
        try (Session a = Session.create(original, SessionOptions.threads(1));
             Session b = Session.create(copy, SessionOptions.threads(1))) {
            for (Path set : sets) {
                Map<String, Tensor> in = Map.of(input, TensorProtos.readTensorFile(set.resolve("input_0.pb")));
                List<Tensor> x = new ArrayList<>(a.run(in).values());
                List<Tensor> y = new ArrayList<>(b.run(in).values());
                assertEquals(x.size(), y.size());
                for (int j = 0; j < x.size(); j++) {
                    assertArrayEquals(x.get(j).toDoubleArray(), y.get(j).toDoubleArray(), set + " output " + j);
                }
            }
        }
    }

    /** Field by field: Node and Tensor have identity equality, so the records cannot be compared with equals. */
    static void assertSameModel(Model expected, Model actual) {
        assertEquals(expected.opsets(), actual.opsets(), "opsets");
        assertEquals(expected.irVersion(), actual.irVersion(), "ir version");
        assertEquals(expected.producer(), actual.producer(), "producer");
        Graph e = expected.graph();
        Graph a = actual.graph();
        assertEquals(e.name(), a.name(), "graph name");
        assertEquals(e.inputs(), a.inputs(), "inputs");
        assertEquals(e.outputs(), a.outputs(), "outputs");
        assertEquals(e.valueInfos(), a.valueInfos(), "value_info");
        assertEquals(List.copyOf(e.initializers().keySet()), List.copyOf(a.initializers().keySet()), "initializer names");
        e.initializers().forEach((name, t) -> assertSameTensor(t, a.initializers().get(name), "initializer " + name));
        assertEquals(e.nodes().size(), a.nodes().size(), "node count");
        for (int i = 0; i < e.nodes().size(); i++) {
            Node x = e.nodes().get(i);
            Node y = a.nodes().get(i);
            String where = "node " + i + " " + x.describe();
            assertEquals(x.name(), y.name(), where);
            assertEquals(x.opType(), y.opType(), where);
            assertEquals(x.domain(), y.domain(), where);
            assertEquals(x.inputs(), y.inputs(), where);
            assertEquals(x.outputs(), y.outputs(), where);
            assertEquals(x.attributes().keySet(), y.attributes().keySet(), where);
            for (Attribute ax : x.attributes().values()) {
                assertSameAttribute(ax, y.attributes().get(ax.name()), where + " attribute " + ax.name());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void assertSameAttribute(Attribute e, Attribute a, String where) {
        assertEquals(e.kind(), a.kind(), where);
        switch (e.kind()) {
            case FLOATS -> assertArrayEquals((float[]) e.value(), (float[]) a.value(), where);
            case INTS -> assertArrayEquals((long[]) e.value(), (long[]) a.value(), where);
            case TENSOR -> assertSameTensor((Tensor) e.value(), (Tensor) a.value(), where);
            case TENSORS -> {
                List<Tensor> x = (List<Tensor>) e.value();
                List<Tensor> y = (List<Tensor>) a.value();
                assertEquals(x.size(), y.size(), where);
                for (int i = 0; i < x.size(); i++) {
                    assertSameTensor(x.get(i), y.get(i), where + " tensor " + i);
                }
            }
            default -> assertEquals(e.value(), a.value(), where);
        }
    }

    private static void assertSameTensor(Tensor e, Tensor a, String where) {
        assertEquals(e.dtype(), a.dtype(), where);
        assertEquals(e.shape(), a.shape(), where);
        double[] x = e.toDoubleArray();
        double[] y = a.toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            // bitwise for floats (NaN, -0.0 included)
            assertEquals(Double.doubleToRawLongBits(x[i]), Double.doubleToRawLongBits(y[i]), where + " element " + i);
        }
    }
}
