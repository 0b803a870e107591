package dev.sprig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.bench.model.MnistTestSet;
import dev.sprig.core.Tensor;
import dev.sprig.core.session.Session;
import dev.sprig.core.session.SessionOptions;
import dev.sprig.kernels.KernelProvider;
import dev.sprig.onnx.OnnxModelLoader;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sprig run} on mnist-8 through picocli in-process, with .pb, .npy and PNG inputs of the same
 * MNIST digits, labels, and bad arguments.
 */
class RunInputsTest {

    private static final String[] DIGITS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
        "nine"};

    @TempDir
    Path dir;

    @BeforeAll
    static void logTheBackendLineBeforeAnyRunIsCaptured() {
        // the kernel backend's one-time INFO record goes to stderr at first use; it is not an error line
        KernelProvider.describe();
    }

    private static Path testdata(String relative) {
        Path p = Path.of(System.getProperty("sprig.testdata", "../shared/testdata"), relative);
        Assumptions.assumeTrue(Files.exists(p), () -> {
            String reason = "skipped: no " + p;
            System.out.println(reason);
            return reason;
        });
        return p;
    }

    private static Path model() {
        return testdata("models/mnist-8/model.onnx");
    }

    /** The "  #r  class ..." lines of a run's output. */
    private static List<String> topLines(String out) {
        return out.lines().filter(l -> l.startsWith("  #")).toList();
    }

    private Path npy(String name, float[] values, int... shape) throws Exception {
        ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            data.putFloat(v);
        }
        Path f = dir.resolve(name);
        Files.write(f, NpyTensorReaderTest.npy(1, NpyTensorReaderTest.dict("<f4", false, shape), data.array()));
        return f;
    }

    private Path greyPng(String name, float[] pixels) throws Exception {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        int[] px = new int[pixels.length];
        for (int i = 0; i < px.length; i++) {
            px[i] = (int) pixels[i];
        }
        img.getRaster().setPixels(0, 0, 28, 28, px);
        Path f = dir.resolve(name);
        assertTrue(ImageIO.write(img, "png", f.toFile()));
        return f;
    }

    @Test
    void pbNpyAndPngOfTheSameDigitGiveTheSameTopClass() throws Exception {
        Path model = model();
        MnistTestSet mnist = MnistTestSet.load(testdata("datasets/mnist"));
        try (Session session = Session.create(OnnxModelLoader.load(model), SessionOptions.threads(1))) {
            for (int n : new int[]{0, 1, 2, 3, 4}) {
                float[] pixels = mnist.pixels(n);
                float[] scaled = new float[pixels.length];
                for (int i = 0; i < pixels.length; i++) {
                    scaled[i] = pixels[i] / 255f;
                }
                // the reference: the session on pixel/255 directly (the zoo's preprocessing)
                Tensor scores = session.run(Map.of("Input3", Tensor.of(scaled, 1, 1, 28, 28))).values().iterator().next();
                double[] s = scores.toDoubleArray();
                int argmax = 0;
                for (int c = 1; c < s.length; c++) {
                    argmax = s[c] > s[argmax] ? c : argmax;
                }
                assertEquals(mnist.label(n), argmax, "mnist-8 on test image " + n);

                String fromNpy = CliRunner.sprig(0, "run", model.toString(), "--threads", "1",
                        "--input", "Input3=" + npy("digit" + n + ".npy", scaled, 1, 1, 28, 28))[0];
                String fromPng = CliRunner.sprig(0, "run", model.toString(), "--threads", "1",
                        "--input", greyPng("digit" + n + ".png", pixels).toString())[0];
                List<String> top = topLines(fromNpy);
                assertEquals(5, top.size(), fromNpy);
                assertTrue(top.get(0).startsWith("  #1  class " + argmax + "  score "), fromNpy);
                // the PNG's bytes divided by 255 are the .npy's floats, so every score agrees
                assertEquals(top, topLines(fromPng), fromPng);
            }
        }
        // test_data_set_1 holds test image 0 (a 7) as pixel/255, written by other tools
        String fromPb = CliRunner.sprig(0, "run", model.toString(), "--threads", "1",
                "--input", "Input3=" + model.getParent().resolve("test_data_set_1/input_0.pb"))[0];
        assertTrue(topLines(fromPb).get(0).startsWith("  #1  class 7  score "), fromPb);
    }

    @Test
    void labelsNameTheTopClassesAndTopSetsHowMany() throws Exception {
        Path model = model();
        Path labels = dir.resolve("digits.txt");
        Files.write(labels, List.of(DIGITS), StandardCharsets.UTF_8);
        String out = CliRunner.sprig(0, "run", model.toString(), "--labels", labels.toString(), "--top", "3",
                "--input", model.getParent().resolve("test_data_set_2/input_0.pb").toString())[0];
        List<String> top = topLines(out);
        assertEquals(3, top.size(), out);
        // test_data_set_2 is MNIST test image 1, a 2
        assertTrue(top.get(0).matches("  #1  class 2  two  score \\S+"), out);
        for (String line : top) {
            String[] f = line.strip().split("\\s+");
            assertEquals(DIGITS[Integer.parseInt(f[2])], f[3], line);
        }
    }

    @Test
    void aLargerImageIsResampledToTheDeclaredSize() throws Exception {
        Path model = model();
        MnistTestSet mnist = MnistTestSet.load(testdata("datasets/mnist"));
        float[] px = mnist.pixels(0);
        BufferedImage big = new BufferedImage(56, 56, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 56; y++) {
            for (int x = 0; x < 56; x++) {
                big.getRaster().setSample(x, y, 0, (int) px[(y / 2) * 28 + x / 2]);
            }
        }
        Path png = dir.resolve("big.png");
        ImageIO.write(big, "png", png.toFile());
        // the declared 28x28 resamples it; each output pixel averages a 2x2 block of equal pixels (and
        // their neighbours by the triangle filter), so the digit stays a 7
        String out = CliRunner.sprig(0, "run", model.toString(), "--input", "Input3=" + png)[0];
        assertTrue(topLines(out).get(0).startsWith("  #1  class 7  "), out);
    }

    private static void assertOneLine(String[] outErr, String... fragments) {
        String err = outErr[1];
        assertEquals(1, err.lines().count(), "one line expected:\n" + err);
        assertTrue(err.startsWith("sprig run: "), err);
        for (String f : fragments) {
            assertTrue(err.contains(f), "'" + f + "' expected in: " + err);
        }
    }

    @Test
    void badInputsGiveOneLineNamingTheProblem() throws Exception {
        String model = model().toString();
        Path missing = dir.resolve("missing.png");
        assertOneLine(CliRunner.sprig(1, "run", model, "--input", "Input3=" + missing), "no such file",
                missing.toString());

        Path npy = npy("ok.npy", new float[784], 1, 1, 28, 28);
        assertOneLine(CliRunner.sprig(1, "run", model, "--input", "Image=" + npy), "no input 'Image'", "Input3");

        Path badPng = dir.resolve("broken.png");
        Files.write(badPng, Arrays.copyOf(Files.readAllBytes(greyPng("whole.png", new float[784])), 50));
        assertOneLine(CliRunner.sprig(1, "run", model, "--input", badPng.toString()), badPng.toString(),
                "cannot decode the image");

        Path badNpy = dir.resolve("short.npy");
        byte[] full = Files.readAllBytes(npy);
        Files.write(badNpy, Arrays.copyOf(full, full.length - 10));
        assertOneLine(CliRunner.sprig(1, "run", model, "--input", badNpy.toString()), badNpy.toString(),
                "truncated data",
                "needs 3136 data bytes", "has 3126");

        Path text = dir.resolve("input.txt");
        Files.writeString(text, "1 2 3");
        assertOneLine(CliRunner.sprig(1, "run", model, "--input", text.toString()), "unknown file type '.txt'", ".npy");

        Path wrongShape = npy("wrong.npy", new float[28 * 28], 28, 28);
        assertOneLine(CliRunner.sprig(1, "run", model, "--input", wrongShape.toString()), "Input3", "rank 4");

        assertOneLine(CliRunner.sprig(1, "run", model, "--labels", dir.resolve("none.txt").toString(), "--input",
                npy.toString()),
                "--labels", "none.txt");
        assertOneLine(CliRunner.sprig(1, "run", model, "--resize", "0", "--input", npy.toString()), "--resize", "'0'");
        assertOneLine(CliRunner.sprig(1, "run", model, "--top", "0"), "--top must be at least 1, got 0");
    }

    @Test
    void verboseAddsTheStackTrace() throws Exception {
        Path badNpy = dir.resolve("bad.npy");
        Files.writeString(badNpy, "not numpy");
        String err = CliRunner.sprig(1, "run", model().toString(), "--input", badNpy.toString(), "--verbose")[1];
        assertTrue(err.lines().findFirst().orElseThrow().startsWith("sprig run: " + badNpy + ": not an .npy file"), err);
        assertTrue(err.contains("at dev.sprig.cli.NpyTensorReader"), err);
        // the option is global: before the verb too
        String before = CliRunner.sprig(1, "--verbose", "run", model().toString(), "--input", badNpy.toString())[1];
        assertTrue(before.contains("at dev.sprig.cli.NpyTensorReader"), before);
    }
}
