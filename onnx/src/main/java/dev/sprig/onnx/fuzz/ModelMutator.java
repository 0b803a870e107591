package dev.sprig.onnx.fuzz;

import com.google.protobuf.ByteString;
import dev.sprig.onnx.proto.AttributeProto;
import dev.sprig.onnx.proto.GraphProto;
import dev.sprig.onnx.proto.ModelProto;
import dev.sprig.onnx.proto.NodeProto;
import dev.sprig.onnx.proto.StringStringEntryProto;
import dev.sprig.onnx.proto.TensorProto;
import dev.sprig.onnx.proto.TensorShapeProto;
import dev.sprig.onnx.proto.ValueInfoProto;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Derives a hostile variant of a valid model: one to three changes, each either structural (on
 * the parsed protobuf: duplicated fields, huge, negative or zero sizes, swapped element, attribute
 * and operator types, rewired or removed values, resized or relocated tensor data, extreme
 * attribute values) or on the serialized bytes (bit flips, truncation, a spliced-in copy of a byte
 * range, overwritten bytes). Deterministic for a given {@link Random} state, so a case is
 * reproduced from its seed.
 */
public final class ModelMutator {

    /** A mutated model file and what was done to it. */
    public record Mutant(byte[] bytes, String description) {
    }

    /** Sizes that break arithmetic: negative, zero, around int overflow, and the extremes. */
    private static final long[] HOSTILE_SIZES = {
        -1, -2, 0, 1, 46_341, 65_536, 1_000_000, Integer.MAX_VALUE, 1L << 31, 1L << 32, 1L << 40,
        Long.MAX_VALUE, Long.MIN_VALUE, -(1L << 40), Integer.MIN_VALUE
    };

    /** Operator types a node's type is swapped to: common ones with other arities and attributes. */
    private static final String[] OP_TYPES = {
        "Relu", "Add", "Conv", "MatMul", "Reshape", "Gemm", "Concat", "Softmax", "MaxPool", "Gather",
        "Expand", "Tile", "ConstantOfShape", "Range", "Slice", "Transpose", "Split", "Resize", "Pad",
        "QLinearConv", "If", "NoSuchOp", ""
    };

    /** External data locations: escapes, absolute paths, missing files, the model file itself. */
    private static final String[] LOCATIONS = {
        "../escape.bin", "/etc/passwd", "model.onnx", "missing.bin", "a/../../b", "", "test_data_set_0",
        "./model.onnx", "..", "/dev/zero", "\u0000bad"
    };

    private ModelMutator() {
    }

    /** A mutant of {@code seed}: the changes are drawn from {@code random}. */
    public static Mutant mutate(FuzzSeed seed, Random random) {
        int changes = 1 + random.nextInt(3);
        List<String> done = new ArrayList<>();
        ModelProto.Builder model = seed.proto().toBuilder();
        boolean byteLevelLast = random.nextInt(3) == 0;
        for (int c = 0; c < changes - (byteLevelLast ? 1 : 0); c++) {
            done.add(structural(model, random));
        }
        byte[] bytes = model.build().toByteArray();
        if (byteLevelLast) {
            StringBuilder what = new StringBuilder();
            bytes = byteLevel(bytes, random, what);
            done.add(what.toString());
        }
        return new Mutant(bytes, String.join("; ", done));
    }

    private static String structural(ModelProto.Builder model, Random random) {
        GraphProto.Builder g = model.getGraphBuilder();
        for (int attempt = 0; attempt < 8; attempt++) {
            String what = switch (random.nextInt(7)) {
                case 0 -> duplicateField(model, g, random);
                case 1 -> hostileDim(g, random);
                case 2 -> swapType(g, random);
                case 3 -> rewire(g, random);
                case 4 -> tensorData(g, random);
                case 5 -> attributeValue(g, random);
                default -> hostileTensorValue(g, random);
            };
            if (what != null) {
                return what;
            }
        }
        g.clearNode();
        return "removed every node";
    }

    private static String duplicateField(ModelProto.Builder model, GraphProto.Builder g, Random random) {
        switch (random.nextInt(7)) {
            case 0 -> {
                if (g.getNodeCount() == 0) {
                    return null;
                }
                int k = random.nextInt(g.getNodeCount());
                g.addNode(random.nextInt(g.getNodeCount() + 1), g.getNode(k));
                return "duplicated node " + k;
            }
            case 1 -> {
                if (g.getInitializerCount() == 0) {
                    return null;
                }
                int k = random.nextInt(g.getInitializerCount());
                g.addInitializer(g.getInitializer(k));
                return "duplicated initializer " + k;
            }
            case 2 -> {
                if (g.getInputCount() == 0) {
                    return null;
                }
                g.addInput(g.getInput(random.nextInt(g.getInputCount())));
                return "duplicated a graph input";
            }
            case 3 -> {
                if (g.getOutputCount() == 0) {
                    return null;
                }
                g.addOutput(g.getOutput(random.nextInt(g.getOutputCount())));
                return "duplicated a graph output";
            }
            case 4 -> {
                NodeProto.Builder n = randomNode(g, random);
                if (n == null || n.getAttributeCount() == 0) {
                    return null;
                }
                n.addAttribute(n.getAttribute(random.nextInt(n.getAttributeCount())));
                return "duplicated an attribute of node '" + n.getName() + "'";
            }
            case 5 -> {
                TensorProto.Builder t = randomTensor(g, random);
                if (t == null) {
                    return null;
                }
                t.addDims(t.getDimsCount() == 0 ? 1 : t.getDims(random.nextInt(t.getDimsCount())));
                return "added a dimension to tensor '" + t.getName() + "'";
            }
            default -> {
                if (model.getOpsetImportCount() == 0) {
                    return null;
                }
                model.addOpsetImport(model.getOpsetImport(0).toBuilder().setVersion(1 + random.nextInt(30)));
                return "imported the default domain twice";
            }
        }
    }

    private static String hostileDim(GraphProto.Builder g, Random random) {
        long size = HOSTILE_SIZES[random.nextInt(HOSTILE_SIZES.length)];
        if (random.nextBoolean()) {
            TensorProto.Builder t = randomTensor(g, random);
            if (t == null || t.getDimsCount() == 0) {
                return null;
            }
            int j = random.nextInt(t.getDimsCount());
            t.setDims(j, size);
            return "dim " + j + " of tensor '" + t.getName() + "' = " + size;
        }
        List<ValueInfoProto.Builder> values = new ArrayList<>(g.getInputBuilderList());
        values.addAll(g.getOutputBuilderList());
        if (values.isEmpty()) {
            return null;
        }
        ValueInfoProto.Builder v = values.get(random.nextInt(values.size()));
        if (!v.hasType() || !v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()) {
            return null;
        }
        TensorShapeProto.Builder shape = v.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
        if (shape.getDimCount() == 0) {
            return null;
        }
        int j = random.nextInt(shape.getDimCount());
        shape.getDimBuilder(j).setDimValue(size);
        return "dim " + j + " of declared value '" + v.getName() + "' = " + size;
    }

    private static String swapType(GraphProto.Builder g, Random random) {
        switch (random.nextInt(4)) {
            case 0 -> {
                TensorProto.Builder t = randomTensor(g, random);
                if (t == null) {
                    return null;
                }
                int type = random.nextInt(28);
                t.setDataType(type);
                return "tensor '" + t.getName() + "' data_type = " + type;
            }
            case 1 -> {
                if (g.getInputCount() == 0) {
                    return null;
                }
                ValueInfoProto.Builder v = g.getInputBuilder(random.nextInt(g.getInputCount()));
                int type = random.nextInt(28);
                v.getTypeBuilder().getTensorTypeBuilder().setElemType(type);
                return "graph input '" + v.getName() + "' elem_type = " + type;
            }
            case 2 -> {
                NodeProto.Builder n = randomNode(g, random);
                if (n == null || n.getAttributeCount() == 0) {
                    return null;
                }
                AttributeProto.Builder a = n.getAttributeBuilder(random.nextInt(n.getAttributeCount()));
                AttributeProto.AttributeType type = AttributeProto.AttributeType.forNumber(random.nextInt(15));
                a.setType(type);
                return "attribute '" + a.getName() + "' of node '" + n.getName() + "' type = " + type;
            }
            default -> {
                NodeProto.Builder n = randomNode(g, random);
                if (n == null) {
                    return null;
                }
                String op = OP_TYPES[random.nextInt(OP_TYPES.length)];
                String old = n.getOpType();
                n.setOpType(op);
                return "node '" + n.getName() + "' op_type " + old + " -> " + op;
            }
        }
    }

    private static String rewire(GraphProto.Builder g, Random random) {
        if (g.getNodeCount() == 0) {
            return null;
        }
        int k = random.nextInt(g.getNodeCount());
        NodeProto.Builder n = g.getNodeBuilder(k);
        List<String> names = valueNames(g);
        String other = names.isEmpty() ? "ghost" : names.get(random.nextInt(names.size()));
        switch (random.nextInt(5)) {
            case 0 -> {
                if (n.getInputCount() == 0) {
                    return null;
                }
                int j = random.nextInt(n.getInputCount());
                n.setInput(j, other);
                return "node '" + n.getName() + "' input " + j + " = '" + other + "'";
            }
            case 1 -> {
                if (n.getOutputCount() == 0) {
                    return null;
                }
                int j = random.nextInt(n.getOutputCount());
                n.setOutput(j, other);
                return "node '" + n.getName() + "' output " + j + " = '" + other + "'";
            }
            case 2 -> {
                if (n.getOutputCount() == 0) {
                    return null;
                }
                n.addInput(n.getOutput(0));
                return "node '" + n.getName() + "' reads its own output";
            }
            case 3 -> {
                g.removeNode(k);
                return "removed node " + k;
            }
            default -> {
                if (g.getInitializerCount() == 0) {
                    return null;
                }
                int init = random.nextInt(g.getInitializerCount());
                g.removeInitializer(init);
                return "removed initializer " + init;
            }
        }
    }

    private static String tensorData(GraphProto.Builder g, Random random) {
        TensorProto.Builder t = randomTensor(g, random);
        if (t == null) {
            return null;
        }
        switch (random.nextInt(4)) {
            case 0 -> {
                ByteString raw = t.getRawData();
                int cut = raw.isEmpty() ? 0 : random.nextInt(raw.size());
                t.setRawData(raw.substring(0, cut));
                return "raw_data of '" + t.getName() + "' cut to " + cut + " bytes";
            }
            case 1 -> {
                byte[] extra = new byte[1 + random.nextInt(64)];
                random.nextBytes(extra);
                t.setRawData(t.getRawData().concat(ByteString.copyFrom(extra)));
                return "raw_data of '" + t.getName() + "' extended by " + extra.length + " bytes";
            }
            case 2 -> {
                String location = LOCATIONS[random.nextInt(LOCATIONS.length)];
                t.setDataLocation(TensorProto.DataLocation.EXTERNAL).clearExternalData()
                        .addExternalData(entry("location", location));
                if (random.nextBoolean()) {
                    t.addExternalData(entry("offset", Long.toString(HOSTILE_SIZES[random.nextInt(HOSTILE_SIZES.length)])));
                }
                if (random.nextBoolean()) {
                    t.addExternalData(entry("length", Long.toString(HOSTILE_SIZES[random.nextInt(HOSTILE_SIZES.length)])));
                }
                return "tensor '" + t.getName() + "' external data at '" + location + "' " + t.getExternalDataList()
                        .stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
            }
            default -> {
                t.clearRawData().clearFloatData().clearInt64Data().clearInt32Data();
                for (int i = random.nextInt(5); i > 0; i--) {
                    t.addFloatData(random.nextFloat());
                    t.addInt64Data(random.nextLong());
                    t.addInt32Data(random.nextInt());
                }
                return "data of '" + t.getName() + "' replaced by a few typed values";
            }
        }
    }

    private static String attributeValue(GraphProto.Builder g, Random random) {
        NodeProto.Builder n = randomNode(g, random);
        if (n == null || n.getAttributeCount() == 0) {
            return null;
        }
        AttributeProto.Builder a = n.getAttributeBuilder(random.nextInt(n.getAttributeCount()));
        long size = HOSTILE_SIZES[random.nextInt(HOSTILE_SIZES.length)];
        String where = "attribute '" + a.getName() + "' of node '" + n.getName() + "'";
        if (a.getIntsCount() > 0) {
            if (random.nextInt(4) == 0) {
                for (int i = 0; i < 1000; i++) {
                    a.addInts(1);
                }
                return where + " given 1000 more ints";
            }
            int j = random.nextInt(a.getIntsCount());
            a.setInts(j, size);
            return where + " ints[" + j + "] = " + size;
        }
        if (a.getFloatsCount() > 0) {
            float v = random.nextBoolean() ? Float.NaN : Float.NEGATIVE_INFINITY;
            a.setFloats(random.nextInt(a.getFloatsCount()), v);
            return where + " a float = " + v;
        }
        if (a.hasF()) {
            float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, -1e30f, 0f, -1f};
            float v = specials[random.nextInt(specials.length)];
            a.setF(v);
            return where + " = " + v;
        }
        if (a.hasI()) {
            a.setI(size);
            return where + " = " + size;
        }
        if (a.hasS()) {
            a.setS(ByteString.copyFromUtf8(random.nextBoolean() ? "" : "NO_SUCH_MODE"));
            return where + " = '" + a.getS().toStringUtf8() + "'";
        }
        if (a.hasT()) {
            TensorProto.Builder t = a.getTBuilder();
            if (t.getDimsCount() > 0) {
                t.setDims(random.nextInt(t.getDimsCount()), size);
                return where + " tensor dim = " + size;
            }
        }
        return null;
    }

    /** A value of a small INT64 tensor (a shape, axes, pads, repeats) set to a hostile size. */
    private static String hostileTensorValue(GraphProto.Builder g, Random random) {
        TensorProto.Builder t = randomTensor(g, random);
        if (t == null || t.getDataType() != TensorProto.DataType.INT64_VALUE) {
            return null;
        }
        long size = HOSTILE_SIZES[random.nextInt(HOSTILE_SIZES.length)];
        if (t.getInt64DataCount() > 0) {
            int j = random.nextInt(t.getInt64DataCount());
            t.setInt64Data(j, size);
            return "int64_data[" + j + "] of '" + t.getName() + "' = " + size;
        }
        ByteString raw = t.getRawData();
        if (raw.size() < 8) {
            return null;
        }
        byte[] b = raw.toByteArray();
        int j = random.nextInt(b.length / 8);
        for (int k = 0; k < 8; k++) {
            b[8 * j + k] = (byte) (size >>> (8 * k));
        }
        t.setRawData(ByteString.copyFrom(b));
        return "raw int64 element " + j + " of '" + t.getName() + "' = " + size;
    }

    private static byte[] byteLevel(byte[] bytes, Random random, StringBuilder what) {
        if (bytes.length == 0) {
            what.append("empty file");
            return bytes;
        }
        switch (random.nextInt(4)) {
            case 0 -> {
                byte[] b = bytes.clone();
                int flips = 1 + random.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    int bit = random.nextInt(b.length * 8);
                    b[bit >> 3] ^= (byte) (1 << (bit & 7));
                }
                what.append(flips).append(" bit flip(s)");
                return b;
            }
            case 1 -> {
                int cut = random.nextInt(bytes.length);
                what.append("truncated to ").append(cut).append(" of ").append(bytes.length).append(" bytes");
                return Arrays.copyOf(bytes, cut);
            }
            case 2 -> {
                int from = random.nextInt(bytes.length);
                int len = 1 + random.nextInt(Math.min(4096, bytes.length - from));
                int at = random.nextInt(bytes.length + 1);
                byte[] b = new byte[bytes.length + len];
                System.arraycopy(bytes, 0, b, 0, at);
                System.arraycopy(bytes, from, b, at, len);
                System.arraycopy(bytes, at, b, at + len, bytes.length - at);
                what.append("spliced a copy of bytes [").append(from).append(", ").append(from + len)
                        .append(") in at ").append(at);
                return b;
            }
            default -> {
                byte[] b = bytes.clone();
                int at = random.nextInt(b.length);
                int len = 1 + random.nextInt(Math.min(16, b.length - at));
                byte fill = random.nextBoolean() ? (byte) 0xFF : (byte) random.nextInt(256);
                Arrays.fill(b, at, at + len, fill);
                what.append("overwrote ").append(len).append(" bytes at ").append(at).append(" with ")
                        .append(fill & 0xFF);
                return b;
            }
        }
    }

    private static NodeProto.Builder randomNode(GraphProto.Builder g, Random random) {
        return g.getNodeCount() == 0 ? null : g.getNodeBuilder(random.nextInt(g.getNodeCount()));
    }

    /** An initializer, or the tensor attribute of a node (Constant's value), chosen at random. */
    private static TensorProto.Builder randomTensor(GraphProto.Builder g, Random random) {
        List<TensorProto.Builder> tensors = new ArrayList<>(g.getInitializerBuilderList());
        for (NodeProto.Builder n : g.getNodeBuilderList()) {
            for (AttributeProto.Builder a : n.getAttributeBuilderList()) {
                if (a.hasT()) {
                    tensors.add(a.getTBuilder());
                }
            }
        }
        return tensors.isEmpty() ? null : tensors.get(random.nextInt(tensors.size()));
    }

    private static List<String> valueNames(GraphProto.Builder g) {
        List<String> names = new ArrayList<>();
        g.getInputList().forEach(v -> names.add(v.getName()));
        g.getInitializerList().forEach(t -> names.add(t.getName()));
        g.getNodeList().forEach(n -> names.addAll(n.getOutputList()));
        return names;
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }
}
