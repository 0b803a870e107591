package dev.sprig.cli;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.ValueInfo;
import dev.sprig.onnx.TensorProtos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds a run's inputs for the CLI: from .pb, .npy or image files, or zeros of the declared shapes. */
final class ModelInputs {

    private ModelInputs() {
    }

    /**
     * Inputs from {@code specs}: {@code name=FILE}, or {@code FILE} for the next graph input in
     * order. The file's extension says how to read it: {@code .pb} (ONNX TensorProto), {@code .npy}
     * (NumPy), or an image ({@link ImageTensorReader#EXTENSIONS}, made a tensor by {@code images}).
     *
     * @throws IllegalArgumentException for an unknown input name, an input given twice, a missing
     *                                  file or an unknown extension, each named
     */
    static Map<String, Tensor> fromFiles(Graph graph, List<String> specs, ImageOptions images) {
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        int position = 0;
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            ValueInfo input;
            String file;
            if (eq > 0) {
                String name = spec.substring(0, eq);
                input = graph.inputs().stream().filter(v -> v.name().equals(name)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("--input " + spec + ": the model has no input '"
                                + name + "'; its inputs are " + graph.inputs()));
                file = spec.substring(eq + 1);
            } else {
                if (position >= graph.inputs().size()) {
                    throw new IllegalArgumentException("--input " + spec + ": the model has only "
                            + graph.inputs().size() + " inputs " + graph.inputs());
                }
                input = graph.inputs().get(position);
                file = spec;
            }
            position++;
            if (inputs.containsKey(input.name())) {
                throw new IllegalArgumentException("--input " + spec + ": input '" + input.name() + "' is given twice");
            }
            inputs.put(input.name(), read(Path.of(file), input, images, spec));
        }
        return inputs;
    }

    private static Tensor read(Path file, ValueInfo input, ImageOptions images, String spec) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("--input " + spec + ": no such file " + file);
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String ext = name.lastIndexOf('.') < 0 ? "" : name.substring(name.lastIndexOf('.'));
        if (ext.equals(".pb")) {
            return TensorProtos.readTensorFile(file);
        }
        if (ext.equals(".npy")) {
            return NpyTensorReader.read(file);
        }
        if (ImageTensorReader.EXTENSIONS.contains(ext)) {
            return ImageTensorReader.read(file, input, images);
        }
        throw new IllegalArgumentException("--input " + spec + ": unknown file type "
                + (ext.isEmpty() ? "(no extension)" : "'" + ext + "'") + ": expected .pb (ONNX TensorProto), .npy (NumPy) "
                + "or an image (" + String.join(", ", ImageTensorReader.EXTENSIONS) + ")");
    }

    /** The {@code input_<i>.pb} files of a test_data_set folder, by graph input position. */
    static Map<String, Tensor> fromTestDataSet(Graph graph, Path dir) {
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (int i = 0; i < graph.inputs().size(); i++) {
            inputs.put(graph.inputs().get(i).name(), TensorProtos.readTensorFile(dir.resolve("input_" + i + ".pb")));
        }
        return inputs;
    }

    /**
     * Zero tensors of every declared input; a symbolic dimension takes its value from
     * {@code dims} (by symbol name), else 1.
     */
    static Map<String, Tensor> zeros(Graph graph, Map<String, Integer> dims) {
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        for (ValueInfo in : graph.inputs()) {
            if (in.type() == null || in.shape() == null) {
                throw new IllegalArgumentException("input " + in + " has no declared type or rank: give it with --input");
            }
            int[] d = new int[in.shape().size()];
            for (int a = 0; a < d.length; a++) {
                ValueInfo.Dim dim = in.shape().get(a);
                d[a] = dim.isFixed() ? (int) dim.value() : dims.getOrDefault(dim.symbol(), 1);
            }
            inputs.put(in.name(), Tensor.zeros(in.type(), Shape.of(d)));
        }
        return inputs;
    }

    /** True for a FLOAT output whose axes are all 1 but the last (a batch-1 classifier's scores). */
    static boolean isClassifier(Tensor t) {
        if (t.dtype() != DType.FLOAT || t.size() < 2) {
            return false;
        }
        int[] d = t.shape().dims();
        for (int a = 0; a < d.length - 1; a++) {
            if (d[a] != 1) {
                return false;
            }
        }
        return true;
    }
}
