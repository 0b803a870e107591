package dev.sprig.onnx;

import static dev.sprig.onnx.OnnxModelLoaderTest.tensorValue;
import static dev.sprig.onnx.TensorProtosTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import dev.sprig.onnx.proto.AttributeProto;
import dev.sprig.onnx.proto.GraphProto;
import dev.sprig.onnx.proto.ModelProto;
import dev.sprig.onnx.proto.NodeProto;
import dev.sprig.onnx.proto.OperatorSetIdProto;
import dev.sprig.onnx.proto.StringStringEntryProto;
import dev.sprig.onnx.proto.TensorProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader on hostile files: sizes checked against the bytes present and the {@link LoadOptions}
 * limits before allocation, graph wiring errors named by node, attribute types checked, and every
 * failure a {@link ModelLoadException}.
 */
class LoaderHardeningTest {

    private static final int FLOAT = 1;

    @TempDir
    Path dir;

    private static NodeProto node(String name, String op, List<String> in, List<String> out) {
        return NodeProto.newBuilder().setName(name).setOpType(op).addAllInput(in).addAllOutput(out).build();
    }

    private static byte[] model(GraphProto.Builder g) {
        return ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(g).build().toByteArray();
    }

    /** x -> Relu 'a' -> t -> Relu 'b' -> y, nodes given in {@code order}. */
    private static GraphProto.Builder chain(NodeProto... order) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("g")
                .addInput(tensorValue("x", FLOAT, 2)).addOutput(tensorValue("y", FLOAT, 2));
        for (NodeProto n : order) {
            g.addNode(n);
        }
        return g;
    }

    private static ModelLoadException rejected(byte[] bytes) {
        return assertThrows(ModelLoadException.class, () -> OnnxModelLoader.load(bytes, null));
    }

    private static ModelLoadException rejected(byte[] bytes, LoadOptions options) {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> OnnxModelLoader.load(bytes, null, options));
        assertFalse(e.isInternalError(), e::getMessage);
        return e;
    }

    private static GraphProto.Builder withInitializer(TensorProto t) {
        return chain(node("a", "Relu", List.of("x"), List.of("y"))).addInitializer(t);
    }

    @Test
    void aDeclaredSizeLargerThanTheBytesPresentIsRejectedBeforeAllocation() {
        // 2^30 floats (4 GiB) declared, 4 bytes present: the check must come before the array
        TensorProto huge = TensorProto.newBuilder().setName("w").setDataType(FLOAT).addDims(1L << 30)
                .setRawData(ByteString.copyFrom(new byte[4])).build();
        ModelLoadException e = rejected(model(withInitializer(huge)));
        assertContains(e, "initializer 'w'");
        assertContains(e, "4294967296 bytes");
        assertContains(e, "found 4");
        TensorProto typed = TensorProto.newBuilder().setName("v").setDataType(FLOAT).addDims(1L << 29)
                .addDims(2).addFloatData(1).build();
        assertContains(rejected(model(withInitializer(typed))), "float_data has 1");
    }

    @Test
    void tensorsLargerThanMaxTensorElementsAreRejected() {
        TensorProto t = TensorProto.newBuilder().setName("w").setDataType(FLOAT).addDims(10).addDims(10)
                .setRawData(ByteString.copyFrom(new byte[400])).build();
        byte[] bytes = model(withInitializer(t));
        ModelLoadException e = rejected(bytes, LoadOptions.defaults().withMaxTensorElements(99));
        assertContains(e, "initializer 'w'");
        assertContains(e, "100 elements");
        assertContains(e, "maxTensorElements = 99");
        assertEquals(100, OnnxModelLoader.load(bytes, null, LoadOptions.defaults().withMaxTensorElements(100))
                .graph().initializers().get("w").size());
        // a product past Long.MAX_VALUE is over any limit, not a wrapped-around small number
        TensorProto overflow = TensorProto.newBuilder().setName("o").setDataType(FLOAT).addDims(1L << 62)
                .addDims(1L << 62).addDims(0).build();
        // empty, but a dimension past an int cannot be represented either
        assertContains(rejected(model(withInitializer(overflow))), "initializer 'o' has an invalid shape");
        TensorProto wrap = TensorProto.newBuilder().setName("o").setDataType(FLOAT).addDims(1L << 62)
                .addDims(1L << 62).build();
        assertContains(rejected(model(withInitializer(wrap))), "maxTensorElements");
    }

    @Test
    void filesAndExternalDataLargerThanMaxModelBytesAreRejected() throws IOException {
        byte[] bytes = model(chain(node("a", "Relu", List.of("x"), List.of("y"))));
        assertContains(rejected(bytes, LoadOptions.defaults().withMaxModelBytes(bytes.length - 1)),
                "maxModelBytes = " + (bytes.length - 1));
        Path file = dir.resolve("m.onnx");
        Files.write(file, bytes);
        ModelLoadException fromFile = assertThrows(ModelLoadException.class,
                () -> OnnxModelLoader.load(file, LoadOptions.defaults().withMaxModelBytes(10)));
        assertContains(fromFile, file.toString());
        assertContains(fromFile, "maxModelBytes = 10");
        // external data counts too: 400 bytes in w.bin, referred to by a model of bytes.length bytes
        Files.write(dir.resolve("w.bin"), new byte[400]);
        TensorProto ext = TensorProto.newBuilder().setName("w").setDataType(FLOAT).addDims(100)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("w.bin")).build();
        byte[] withExt = model(withInitializer(ext));
        Files.write(file, withExt);
        assertEquals(100, OnnxModelLoader.load(file).graph().initializers().get("w").size());
        assertContains(assertThrows(ModelLoadException.class, () -> OnnxModelLoader.load(file,
                LoadOptions.defaults().withMaxModelBytes(withExt.length + 399))), "external data 'w.bin'");
    }

    @Test
    void externalDataOfTheWrongSizeIsRejectedBeforeReading() throws IOException {
        // a one-element tensor over a 1 MiB file: rejected from the sizes, the file is not read
        Files.write(dir.resolve("big.bin"), new byte[1 << 20]);
        TensorProto ext = TensorProto.newBuilder().setName("w").setDataType(FLOAT).addDims(1)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("big.bin")).build();
        Path file = dir.resolve("m.onnx");
        Files.write(file, model(withInitializer(ext)));
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> OnnxModelLoader.load(file, LoadOptions.defaults().withMaxModelBytes(64 << 10)));
        assertContains(e, "needs 4 bytes of data, found 1048576");
        // a length beyond the file, and an offset + length that overflows a long
        TensorProto overflow = ext.toBuilder().clearExternalData()
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("big.bin"))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue("16"))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("length")
                        .setValue(Long.toString(Long.MAX_VALUE))).build();
        Files.write(file, model(withInitializer(overflow)));
        assertContains(assertThrows(ModelLoadException.class, () -> OnnxModelLoader.load(file)), "beyond the end");
    }

    @Test
    void onlyRegularFilesAreRead() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("looks-like.onnx"));
        assertContains(assertThrows(ModelLoadException.class, () -> OnnxModelLoader.load(folder)),
                "not a regular file");
        assertContains(assertThrows(ModelLoadException.class, () -> OnnxModelLoader.load(dir.resolve("absent.onnx"))),
                "no such file");
    }

    @Test
    void aCycleIsReportedWithTheNodesOnIt() {
        // a reads b's output and b reads a's: x -> a(x, u) -> t -> b(t) -> u
        byte[] bytes = model(chain(node("a", "Add", List.of("x", "u"), List.of("t")),
                node("b", "Relu", List.of("t"), List.of("u")), node("c", "Relu", List.of("t"), List.of("y"))));
        ModelLoadException e = rejected(bytes);
        assertContains(e, "cycle");
        assertContains(e, "Add node 'a'");
        assertContains(e, "Relu node 'b'");
        ModelLoadException self = rejected(model(chain(node("s", "Add", List.of("x", "y"), List.of("y")))));
        assertContains(self, "cycle: Add node 's' -> Add node 's'");
    }

    @Test
    void nodesOutOfOrderAreSortedKeepingTheFileOrderOtherwise() {
        byte[] bytes = model(chain(node("b", "Relu", List.of("t"), List.of("y")),
                node("a", "Relu", List.of("x"), List.of("t")), node("z", "Relu", List.of("x"), List.of("unused"))));
        Model m = OnnxModelLoader.load(bytes, null);
        assertEquals(List.of("a", "b", "z"), m.graph().nodes().stream().map(Node::name).toList());
    }

    @Test
    void danglingInputsAndMissingOutputsNameTheNodeOrValue() {
        ModelLoadException dangling = rejected(model(chain(node("a", "Add", List.of("x", "ghost"), List.of("y")))));
        assertContains(dangling, "Add node 'a': input 1 'ghost' is produced by no node");
        ModelLoadException output = rejected(model(chain(node("a", "Relu", List.of("x"), List.of("t")))));
        assertContains(output, "graph output 'y' is produced by no node");
    }

    @Test
    void duplicateNamesAreReportedWithBothProducers() {
        ModelLoadException twice = rejected(model(chain(node("a", "Relu", List.of("x"), List.of("y")),
                node("b", "Neg", List.of("x"), List.of("y")))));
        assertContains(twice, "value 'y' is produced twice: by Relu node 'a' and by Neg node 'b'");
        ModelLoadException unnamed = rejected(model(chain(node("", "Relu", List.of("x"), List.of("y")),
                node("", "Neg", List.of("x"), List.of("y")))));
        assertContains(unnamed, "Relu node '' (node 0)");
        assertContains(unnamed, "Neg node '' (node 1)");
        ModelLoadException redefines = rejected(model(chain(node("a", "Relu", List.of("x"), List.of("x")),
                node("b", "Relu", List.of("x"), List.of("y")))));
        assertContains(redefines, "Relu node 'a' output 'x' redefines the graph input");
        GraphProto.Builder inputTwice = chain(node("a", "Relu", List.of("x"), List.of("y")))
                .addInput(tensorValue("x", FLOAT, 2));
        assertContains(rejected(model(inputTwice)), "graph input 'x' is declared twice");
        GraphProto.Builder outputTwice = chain(node("a", "Relu", List.of("x"), List.of("y")))
                .addOutput(tensorValue("y", FLOAT, 2));
        assertContains(rejected(model(outputTwice)), "graph output 'y' is declared twice");
    }

    @Test
    void anAttributeMustCarryTheValueOfItsDeclaredType() {
        NodeProto floatsAsInt = node("a", "Relu", List.of("x"), List.of("y")).toBuilder()
                .addAttribute(AttributeProto.newBuilder().setName("k").setType(AttributeProto.AttributeType.INT)
                        .addFloats(1.5f)).build();
        ModelLoadException e = rejected(model(chain(floatsAsInt)));
        assertContains(e, "Relu node 'a' attribute 'k' is declared INT but carries a FLOATS value");
        NodeProto noValue = node("a", "Relu", List.of("x"), List.of("y")).toBuilder()
                .addAttribute(AttributeProto.newBuilder().setName("alpha")
                        .setType(AttributeProto.AttributeType.FLOAT)).build();
        assertContains(rejected(model(chain(noValue))), "attribute 'alpha' is declared FLOAT but has no value");
        NodeProto emptyList = node("a", "Relu", List.of("x"), List.of("y")).toBuilder()
                .addAttribute(AttributeProto.newBuilder().setName("pads")
                        .setType(AttributeProto.AttributeType.INTS)).build();
        assertEquals(0, ((long[]) OnnxModelLoader.load(model(chain(emptyList)), null).graph().nodes().get(0)
                .attributes().get("pads").value()).length, "an empty list is a valid INTS value");
    }

    @Test
    void unknownElementTypesAreNamed() {
        TensorProto t = TensorProto.newBuilder().setName("w").setDataType(99).addDims(1).build();
        assertContains(rejected(model(withInitializer(t))), "initializer 'w' has element type UNKNOWN(99)");
        GraphProto.Builder g = GraphProto.newBuilder().addInput(tensorValue("x", 99, 2))
                .addOutput(tensorValue("y", FLOAT, 2)).addNode(node("a", "Relu", List.of("x"), List.of("y")));
        assertContains(rejected(model(g)), "graph input 'x' has element type UNKNOWN(99)");
    }

    @Test
    void garbageAndTruncatedFilesAreModelLoadExceptions() {
        byte[] good = model(chain(node("a", "Relu", List.of("x"), List.of("y"))));
        for (int cut = 0; cut < good.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(good, cut);
            try {
                OnnxModelLoader.load(part, null);
            } catch (ModelLoadException e) {
                assertFalse(e.isInternalError(), e::getMessage);
            }
        }
        assertContains(rejected(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF}), "not a valid ONNX model");
    }
}
