package dev.sprig.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Model;
import dev.sprig.core.session.Session;
import dev.sprig.core.session.SessionOptions;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * mnist-8 over the whole MNIST test set (10,000 images, raw 0..255 pixels as floats): top-1 must
 * be the 9891/10000 that the model's SOURCE.txt reports for onnxruntime on the same input.
 */
class MnistAccuracyTest {

    /** From models/mnist-8/SOURCE.txt (onnxruntime-node 1.30.0, raw pixels). */
    private static final int REFERENCE_CORRECT = 9891;

    @Test
    void mnist8ReproducesTheReferenceAccuracy() throws IOException {
        Path data = TestData.root().resolve("datasets/mnist");
        Path modelFile = TestData.root().resolve("models/mnist-8/model.onnx");
        Assumptions.assumeTrue(Files.exists(modelFile) && Files.isDirectory(data), () -> TestData.skipReason("MNIST"));
        byte[] images = idx(data.resolve("t10k-images-idx3-ubyte.gz"), 2051, 3);
        byte[] labels = idx(data.resolve("t10k-labels-idx1-ubyte.gz"), 2049, 1);
        Model model = OnnxModelLoader.load(modelFile);
        String input = model.graph().inputs().get(0).name();
        int correct = 0;
        try (Session session = Session.create(model, SessionOptions.threads(1))) {
            for (int n = 0; n < labels.length; n++) {
                float[] pixels = new float[784];
                for (int p = 0; p < 784; p++) {
                    pixels[p] = images[n * 784 + p] & 0xFF;
                }
                Tensor logits = session.run(Map.of(input, Tensor.of(pixels, 1, 1, 28, 28))).values().iterator().next();
                double[] v = logits.toDoubleArray();
                int best = 0;
                for (int c = 1; c < v.length; c++) {
                    best = v[c] > v[best] ? c : best;
                }
                correct += best == labels[n] ? 1 : 0;
            }
        }
        System.out.printf("mnist-8 on the MNIST test set: %d/%d = %.2f%% top-1 (reference %d)%n", correct, labels.length,
                100.0 * correct / labels.length, REFERENCE_CORRECT);
        assertEquals(REFERENCE_CORRECT, correct, "images classified correctly");
    }

    /** The payload of a gzipped IDX file, after its magic and {@code dims} int32 dimensions. */
    private static byte[] idx(Path file, int magic, int dims) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new GZIPInputStream(raw))) {
            int m = in.readInt();
            if (m != magic) {
                throw new IOException(file + ": magic " + m + ", expected " + magic);
            }
            long size = 1;
            for (int d = 0; d < dims; d++) {
                size *= in.readInt();
            }
            return in.readNBytes((int) size);
        }
    }
}
