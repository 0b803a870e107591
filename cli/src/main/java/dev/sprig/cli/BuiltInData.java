package dev.sprig.cli;

import dev.sprig.bench.model.BenchModel;
import dev.sprig.bench.model.MnistTestSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The model and data that ship inside the CLI jar, so that {@code sprig demo} needs no download:
 * mnist-8 (ONNX Model Zoo, MIT) and the MNIST test set (LeCun, Cortes and Burges, CC BY-SA 3.0),
 * copied from the project's {@code data/} folder (with their SOURCE.md) to the classpath under
 * {@value #ROOT}.
 */
final class BuiltInData {

    /** Classpath folder of the built-in data. */
    static final String ROOT = "/dev/sprig/data/";

    private BuiltInData() {
    }

    /** The mnist-8 classifier; ONNX Runtime loads the same bytes. */
    static BenchModel mnist8() {
        try (InputStream in = open("mnist-8/model.onnx")) {
            return BenchModel.fromBytes("mnist-8", in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the built-in mnist-8: " + e.getMessage(), e);
        }
    }

    /** The 10,000 MNIST test digits with their labels. */
    static MnistTestSet mnist() {
        return MnistTestSet.read(open("mnist/" + MnistTestSet.IMAGES), open("mnist/" + MnistTestSet.LABELS));
    }

    private static InputStream open(String path) {
        InputStream in = BuiltInData.class.getResourceAsStream(ROOT + path);
        if (in == null) {
            throw new IllegalStateException("the built-in data " + ROOT + path + " is not on the classpath; build the"
                    + " CLI jar from the project (mvn -B -pl cli -am package), which copies data/ into it");
        }
        return in;
    }
}
