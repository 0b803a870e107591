package dev.sprig.bench.model;

import dev.sprig.core.graph.Model;
import dev.sprig.onnx.OnnxModelLoader;
import dev.sprig.onnx.OnnxModelWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The model under test: its name, the FP32 {@link Model} Sprig runs, the ONNX bytes the peer
 * runtime loads (the file itself, or the synthetic model exported by {@link OnnxModelWriter}, so
 * both runtimes run the identical model), and the folder holding reference inputs when there is one.
 */
public final class BenchModel {

    private final String name;
    private final Model model;
    private final Path file;
    private byte[] onnx;

    private BenchModel(String name, Model model, Path file) {
        this.name = name;
        this.model = model;
        this.file = file;
    }

    /** A model file; its name is the folder name for {@code <dir>/model.onnx}, else the file name. */
    public static BenchModel fromFile(Path file) {
        Path abs = file.toAbsolutePath();
        String fileName = abs.getFileName().toString();
        String name = fileName.equals("model.onnx") && abs.getParent() != null
                ? abs.getParent().getFileName().toString() : fileName.replaceFirst("\\.onnx$", "");
        return new BenchModel(name, OnnxModelLoader.load(abs), abs);
    }

    /**
     * A model from its ONNX bytes (e.g. a classpath resource); the peer loads the same bytes.
     *
     * @throws dev.sprig.onnx.ModelLoadException when the bytes are not a model Sprig can load
     */
    public static BenchModel fromBytes(String name, byte[] onnxBytes) {
        BenchModel m = new BenchModel(name, OnnxModelLoader.load(onnxBytes, null), null);
        m.onnx = onnxBytes.clone();
        return m;
    }

    /** A model built in memory, exported to ONNX when the peer needs it. */
    public static BenchModel inMemory(String name, Model model) {
        return new BenchModel(name, model, null);
    }

    /** One of the {@link SyntheticModels} at its published size. */
    public static BenchModel synthetic(String syntheticName, long seed) {
        return inMemory(syntheticName.toLowerCase(java.util.Locale.ROOT) + "-synthetic",
                SyntheticModels.byName(syntheticName, seed));
    }

    /** The name the report rows show (each factory says how it is chosen). */
    public String name() {
        return name;
    }

    /** The FP32 model as loaded or built. */
    public Model model() {
        return model;
    }

    /** The ONNX serialisation the peer loads: the file's bytes, or the in-memory model exported once. */
    public synchronized byte[] onnxBytes() {
        if (onnx == null) {
            try {
                onnx = file != null ? Files.readAllBytes(file) : OnnxModelWriter.toBytes(model);
            } catch (IOException e) {
                throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
            }
        }
        return onnx;
    }

    /** The ONNX backend-test style {@code test_data_set_0} beside the model file, when present. */
    public Optional<Path> testDataSet() {
        if (file == null || file.getParent() == null) {
            return Optional.empty();
        }
        Path dir = file.getParent().resolve("test_data_set_0");
        return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
    }
}
