package dev.sprig.cli;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The MNIST test set as shipped in {@code testdata/datasets/mnist}: 10,000 28x28 images of raw
 * 0..255 pixels and their labels, from the original gzipped IDX files. Images are given as
 * {@code [1, 1, 28, 28]} float pixels, the input mnist-8 was trained on.
 */
record MnistTestSet(byte[] images, byte[] labels) {

    static final int PIXELS = 28 * 28;

    /** Reads {@code t10k-images-idx3-ubyte.gz} and {@code t10k-labels-idx1-ubyte.gz} from {@code dir}. */
    static MnistTestSet read(Path dir) {
        byte[] images = idx(dir.resolve("t10k-images-idx3-ubyte.gz"), 2051, 3);
        byte[] labels = idx(dir.resolve("t10k-labels-idx1-ubyte.gz"), 2049, 1);
        if (images.length != labels.length * PIXELS) {
            throw new IllegalArgumentException(dir + ": " + images.length + " image bytes for " + labels.length
                    + " labels, expected " + PIXELS + " per label");
        }
        return new MnistTestSet(images, labels);
    }

    int size() {
        return labels.length;
    }

    /** Image {@code n}'s pixels as floats 0..255, row-major. */
    float[] pixels(int n) {
        float[] p = new float[PIXELS];
        for (int i = 0; i < PIXELS; i++) {
            p[i] = images[n * PIXELS + i] & 0xFF;
        }
        return p;
    }

    int label(int n) {
        return labels[n];
    }

    /** The payload of a gzipped IDX file, after its magic number and {@code dims} int32 dimensions. */
    private static byte[] idx(Path file, int magic, int dims) {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new GZIPInputStream(raw))) {
            int m = in.readInt();
            if (m != magic) {
                throw new IllegalArgumentException(file + ": IDX magic number " + m + ", expected " + magic);
            }
            long size = 1;
            for (int d = 0; d < dims; d++) {
                size *= in.readInt();
            }
            byte[] data = in.readNBytes((int) size);
            if (data.length != size) {
                throw new IllegalArgumentException(file + ": " + data.length + " bytes of data, the header says " + size);
            }
            return data;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read MNIST file " + file + ": " + e.getMessage(), e);
        }
    }
}
