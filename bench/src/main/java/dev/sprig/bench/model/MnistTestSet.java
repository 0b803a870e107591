package dev.sprig.bench.model;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * The MNIST test set (10,000 labelled 28x28 digits) from its gzipped IDX files
 * {@code t10k-images-idx3-ubyte.gz} and {@code t10k-labels-idx1-ubyte.gz}. Images are given as raw
 * 0..255 pixel values in floats, the input mnist-8 was evaluated on.
 */
public final class MnistTestSet {

    /** Pixels per image. */
    public static final int PIXELS = 28 * 28;
    /** File name of the test images. */
    public static final String IMAGES = "t10k-images-idx3-ubyte.gz";
    /** File name of the test labels. */
    public static final String LABELS = "t10k-labels-idx1-ubyte.gz";

    private final byte[] images;
    private final byte[] labels;

    private MnistTestSet(byte[] images, byte[] labels) {
        if (images.length != labels.length * PIXELS) {
            throw new IllegalArgumentException("MNIST files disagree: " + images.length + " pixel bytes for "
                    + labels.length + " labels, expected " + (long) labels.length * PIXELS);
        }
        this.images = images;
        this.labels = labels;
    }

    /**
     * Reads the test set from {@code dir}.
     *
     * @throws UncheckedIOException when a file is missing or not an IDX file of the expected kind
     */
    public static MnistTestSet load(Path dir) {
        Path images = dir.resolve(IMAGES);
        Path labels = dir.resolve(LABELS);
        try (InputStream i = Files.newInputStream(images); InputStream l = Files.newInputStream(labels)) {
            return new MnistTestSet(idx(images.toString(), i, 2051, 3), idx(labels.toString(), l, 2049, 1));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the MNIST test set in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the test set from the gzipped IDX streams of {@value #IMAGES} and {@value #LABELS} (e.g.
     * classpath resources); closes both streams.
     *
     * @throws UncheckedIOException when a stream is not an IDX file of the expected kind
     */
    public static MnistTestSet read(InputStream images, InputStream labels) {
        try (images; labels) {
            return new MnistTestSet(idx(IMAGES, images, 2051, 3), idx(LABELS, labels, 2049, 1));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the MNIST test set: " + e.getMessage(), e);
        }
    }

    /** Number of images. */
    public int size() {
        return labels.length;
    }

    /** Image {@code n}'s pixels (0..255) into {@code out} at {@code offset}. */
    public void image(int n, float[] out, int offset) {
        for (int p = 0; p < PIXELS; p++) {
            out[offset + p] = images[n * PIXELS + p] & 0xFF;
        }
    }

    /** Image {@code n}'s pixels (0..255) as a new array, row-major. */
    public float[] pixels(int n) {
        float[] p = new float[PIXELS];
        image(n, p, 0);
        return p;
    }

    /** The digit image {@code n} shows. */
    public int label(int n) {
        return labels[n];
    }

    /** The payload of a gzipped IDX file, after its magic number and {@code dims} int32 sizes. */
    private static byte[] idx(String file, InputStream raw, int magic, int dims) throws IOException {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(raw))) {
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
