package dev.sprig.bench.model;

import dev.sprig.core.graph.FreeBatchRewrite;
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
    private final Path testDataSet;
    private final Model fixedBatch;
    private byte[] onnx;

    private BenchModel(String name, Model model, Path file, Path testDataSet, Model fixedBatch) {
        this.name = name;
        this.model = model;
        this.file = file;
        this.testDataSet = testDataSet;
        this.fixedBatch = fixedBatch;
    }

    private BenchModel(String name, Model model, Path file) {
        this(name, model, file, testDataSetBeside(file), null);
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

    /**
     * This model with its batch made symbolic by {@link FreeBatchRewrite} (named {@code <name>-free-batch}),
     * so that a model exported with batch 1 gets batch 8 and 32 and BatchingSession figures. Both
     * runtimes run the rewritten model (the peer loads its ONNX export); the reference inputs beside
     * the file still apply. {@link ModelBenchmark} checks the rewrite before measuring (see
     * {@link #fixedBatchOriginal()}).
     *
     * @throws dev.sprig.core.ModelException when an input does not fix its batch at 1
     */
    public BenchModel withFreeBatch() {
        return new BenchModel(name + "-free-batch", FreeBatchRewrite.of(model), null, testDataSet, model);
    }

    /** For a model made by {@link #withFreeBatch()}: the model it rewrote, whose batch-1 outputs its rows must equal. */
    public Optional<Model> fixedBatchOriginal() {
        return Optional.ofNullable(fixedBatch);
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
        return Optional.ofNullable(testDataSet);
    }

    private static Path testDataSetBeside(Path file) {
        if (file == null || file.getParent() == null) {
            return null;
        }
        Path dir = file.getParent().resolve("test_data_set_0");
        return Files.isDirectory(dir) ? dir : null;
    }
}
