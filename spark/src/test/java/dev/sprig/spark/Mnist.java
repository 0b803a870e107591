package dev.sprig.spark;

import dev.sprig.bench.model.MnistTestSet;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Model;
import dev.sprig.core.session.Session;
import dev.sprig.core.session.SessionOptions;
import dev.sprig.onnx.OnnxModelLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Assumptions;

/**
 * mnist-8 and the MNIST test set from the shared test data, with the reference: each image run
 * alone through a plain single-threaded {@link Session}, outside Spark. Loaded once per test JVM.
 */
final class Mnist {

    static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.IntegerType, false)
            .add("features", DataTypes.createArrayType(DataTypes.FloatType, false))
            .add("digit", DataTypes.IntegerType, false);

    private static Mnist instance;

    final Path modelFile;
    final MnistTestSet images;
    /** Plain Session.run outputs, one 10-float row per image. */
    final float[][] reference;

    private Mnist(Path modelFile, MnistTestSet images) {
        this.modelFile = modelFile;
        this.images = images;
        Model model = OnnxModelLoader.load(modelFile);
        String input = model.graph().inputs().get(0).name();
        this.reference = new float[images.size()][];
        try (Session session = Session.create(model, SessionOptions.threads(1))) {
            for (int n = 0; n < images.size(); n++) {
                Tensor y = session.run(Map.of(input, Tensor.of(images.pixels(n), 1, 1, 28, 28))).values()
                        .iterator().next();
                reference[n] = y.floatData().clone();
            }
        }
    }

    /** The fixture, or the test is skipped (with the reason printed) when the test data is absent. */
    static synchronized Mnist get() {
        Path model = LocalSpark.testdata().resolve("models/mnist-8/model.onnx");
        Path data = LocalSpark.testdata().resolve("datasets/mnist");
        Assumptions.assumeTrue(Files.isRegularFile(model) && Files.isDirectory(data),
                () -> LocalSpark.skipReason("mnist-8 model or MNIST test set"));
        if (instance == null) {
            instance = new Mnist(model, MnistTestSet.load(data));
        }
        return instance;
    }

    /** Rows (id, features as float[], digit) for images 0..count-1. */
    List<Row> rows(int count) {
        List<Row> rows = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            rows.add(RowFactory.create(n, images.pixels(n), images.label(n)));
        }
        return rows;
    }

    /** The reference's predicted digit for image {@code n}: the first index of the highest logit. */
    int referenceDigit(int n) {
        float[] v = reference[n];
        int best = 0;
        for (int c = 1; c < v.length; c++) {
            if (v[c] > v[best]) {
                best = c;
            }
        }
        return best;
    }
}
