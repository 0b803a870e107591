package dev.sprig.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.ValueInfo;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ImageTensorReader} on images this test writes, for declared inputs of every shape it handles. */
class ImageTensorReaderTest {

    @TempDir
    Path dir;

    private static ValueInfo input(DType type, Object... dims) {
        return new ValueInfo("x", type, Arrays.stream(dims)
                .map(d -> d instanceof Integer i ? ValueInfo.Dim.of(i) : ValueInfo.Dim.symbolic((String) d)).toList());
    }

    private Path write(BufferedImage image, String format, String name) throws Exception {
        Path f = dir.resolve(name);
        assertTrue(ImageIO.write(image, format, f.toFile()), format);
        return f;
    }

    /** A 3x2 image whose pixel (x, y) is (r, g, b) = (10x + y, 100 + x, 200 - y). */
    private static BufferedImage rgb() {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                img.setRGB(x, y, (10 * x + y) << 16 | (100 + x) << 8 | (200 - y));
            }
        }
        return img;
    }

    @Test
    void greyPngKeepsItsBytesDividedBy255() throws Exception {
        BufferedImage img = new BufferedImage(4, 3, BufferedImage.TYPE_BYTE_GRAY);
        int[] px = {0, 1, 2, 127, 128, 200, 254, 255, 17, 33, 99, 250};
        img.getRaster().setPixels(0, 0, 4, 3, px);
        Path png = write(img, "png", "g.png");
        Tensor t = ImageTensorReader.read(png, input(DType.FLOAT, 1, 1, 3, 4), ImageOptions.defaults());
        assertArrayEquals(new int[]{1, 1, 3, 4}, t.shape().dims());
        for (int i = 0; i < px.length; i++) {
            assertEquals(px[i] / 255f, t.floatData()[i], "pixel " + i);
        }
    }

    @Test
    void rgbFollowsTheDeclaredLayout() throws Exception {
        Path png = write(rgb(), "png", "c.png");
        Tensor nchw = ImageTensorReader.read(png, input(DType.FLOAT, 1, 3, "h", "w"),
                ImageOptions.parse(null, 1f, null, null, null, false));
        assertArrayEquals(new int[]{1, 3, 2, 3}, nchw.shape().dims());
        Tensor nhwc = ImageTensorReader.read(png, input(DType.FLOAT, "n", "h", "w", 3),
                ImageOptions.parse(null, 1f, null, null, null, false));
        assertArrayEquals(new int[]{1, 2, 3, 3}, nhwc.shape().dims());
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                float[] expected = {10 * x + y, 100 + x, 200 - y};
                for (int c = 0; c < 3; c++) {
                    assertEquals(expected[c], nchw.getFloat(0, c, y, x), "nchw " + c + "," + y + "," + x);
                    assertEquals(expected[c], nhwc.getFloat(0, y, x, c), "nhwc " + y + "," + x + "," + c);
                }
            }
        }
    }

    @Test
    void meanStdAndScaleNormalisePerChannel() throws Exception {
        Path bmp = write(rgb(), "bmp", "c.bmp");
        Tensor t = ImageTensorReader.read(bmp, input(DType.FLOAT, 1, 3, 2, 3),
                ImageOptions.parse(null, null, "0.5,0.25,0", "2,4,0.5", null, false));
        // pixel (2, 1): r = 21, g = 102, b = 199
        assertEquals((21 / 255f - 0.5f) / 2f, t.getFloat(0, 0, 1, 2), 1e-6);
        assertEquals((102 / 255f - 0.25f) / 4f, t.getFloat(0, 1, 1, 2), 1e-6);
        assertEquals((199 / 255f) / 0.5f, t.getFloat(0, 2, 1, 2), 1e-6);
    }

    @Test
    void resizesToTheDeclaredSizeOrTheGivenOne() throws Exception {
        BufferedImage img = new BufferedImage(10, 6, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 10; x++) {
                img.setRGB(x, y, 0x336699);
            }
        }
        Path png = write(img, "png", "flat.png");
        Tensor declared = ImageTensorReader.read(png, input(DType.FLOAT, 1, 3, 4, 5), ImageOptions.defaults());
        assertArrayEquals(new int[]{1, 3, 4, 5}, declared.shape().dims());
        assertEquals(0x99 / 255f, declared.getFloat(0, 2, 3, 4), 1e-6);
        Tensor given = ImageTensorReader.read(png, input(DType.FLOAT, 1, 3, "h", "w"),
                ImageOptions.parse("7x2", null, null, null, "nhwc", false));
        assertArrayEquals(new int[]{1, 2, 7, 3}, given.shape().dims());
        assertEquals(0x33 / 255f, given.getFloat(0, 1, 6, 0), 1e-6);
        Tensor square = ImageTensorReader.read(png, null, ImageOptions.parse("3", null, null, null, null, false));
        assertArrayEquals(new int[]{1, 3, 3, 3}, square.shape().dims());
    }

    @Test
    void colourBecomesGreyByLumaWhenOneChannelIsDeclaredOrAsked() throws Exception {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xFF0000);
        img.setRGB(1, 0, 0x0000FF);
        Path png = write(img, "png", "rb.png");
        Tensor declared = ImageTensorReader.read(png, input(DType.FLOAT, 1, 1, 1, 2), ImageOptions.defaults());
        // ITU-R BT.601: 0.299 R + 0.587 G + 0.114 B
        assertArrayEquals(new float[]{0.299f, 0.114f}, declared.floatData(), 1e-5f);
        Tensor asked = ImageTensorReader.read(png, null, ImageOptions.parse(null, null, null, null, null, true));
        assertArrayEquals(new int[]{1, 1, 1, 2}, asked.shape().dims());
        assertArrayEquals(new float[]{0.299f, 0.114f}, asked.floatData(), 1e-5f);
    }

    @Test
    void jpegAndGifDecodeToo() throws Exception {
        BufferedImage flat = new BufferedImage(16, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 16; x++) {
                flat.setRGB(x, y, 0x808080);
            }
        }
        for (String format : List.of("jpeg", "gif")) {
            Path f = write(flat, format, "flat." + format);
            Tensor t = ImageTensorReader.read(f, input(DType.FLOAT, 1, 3, 8, 16), ImageOptions.defaults());
            // JPEG is lossy, but a flat grey survives within a few levels
            for (double v : t.toDoubleArray()) {
                assertEquals(128 / 255.0, v, 3 / 255.0, format);
            }
        }
    }

    @Test
    void aUint8InputGetsRawPixels() throws Exception {
        Path png = write(rgb(), "png", "c.png");
        Tensor t = ImageTensorReader.read(png, input(DType.UINT8, 1, 2, 3, 3), ImageOptions.defaults());
        assertEquals(DType.UINT8, t.dtype());
        assertEquals(21, t.getLong(0, 1, 2, 0));
        assertEquals(199, t.getLong(0, 1, 2, 2));
        String m = assertThrows(IllegalArgumentException.class, () -> ImageTensorReader.read(png,
                input(DType.UINT8, 1, 2, 3, 3), ImageOptions.parse(null, null, "0.5", null, null, false))).getMessage();
        assertTrue(m.contains("raw 0..255 pixels") && m.contains("FLOAT inputs only"), m);
    }

    @Test
    void badFilesAndMismatchesAreNamed() throws Exception {
        Path notImage = dir.resolve("notes.png");
        Files.writeString(notImage, "hello", StandardCharsets.US_ASCII);
        String m1 = assertThrows(IllegalArgumentException.class,
                () -> ImageTensorReader.read(notImage, null, ImageOptions.defaults())).getMessage();
        assertTrue(m1.startsWith(notImage + ": not an image format javax.imageio can decode"), m1);

        // a PNG signature and IHDR start, then the file ends
        Path truncated = dir.resolve("cut.png");
        byte[] png = Files.readAllBytes(write(rgb(), "png", "whole.png"));
        Files.write(truncated, Arrays.copyOf(png, 40));
        String m2 = assertThrows(IllegalArgumentException.class,
                () -> ImageTensorReader.read(truncated, null, ImageOptions.defaults())).getMessage();
        assertTrue(m2.startsWith(truncated + ": cannot decode the image"), m2);
        assertEquals(1, m2.lines().count(), m2);

        Path missing = dir.resolve("none.jpg");
        assertEquals(missing + ": no such file", assertThrows(IllegalArgumentException.class,
                () -> ImageTensorReader.read(missing, null, ImageOptions.defaults())).getMessage());

        Path ok = write(rgb(), "png", "ok.png");
        String channels = assertThrows(IllegalArgumentException.class,
                () -> ImageTensorReader.read(ok, input(DType.FLOAT, 1, 4, 8, 8), ImageOptions.defaults())).getMessage();
        assertTrue(channels.contains("has 4 channels on axis 1") && channels.contains("1 (grey) or 3 (RGB)"), channels);
        String rank = assertThrows(IllegalArgumentException.class,
                () -> ImageTensorReader.read(ok, input(DType.FLOAT, 3, 8, 8), ImageOptions.defaults())).getMessage();
        assertTrue(rank.contains("rank-4") && rank.contains("has rank 3"), rank);
        String grey = assertThrows(IllegalArgumentException.class, () -> ImageTensorReader.read(ok,
                input(DType.FLOAT, 1, 3, 2, 3), ImageOptions.parse(null, null, null, null, null, true))).getMessage();
        assertTrue(grey.contains("--grayscale gives 1 channel"), grey);
    }

    @Test
    void optionsAreCheckedWhenParsed() {
        for (List<String> bad : List.of(List.of("--resize", "0x3"), List.of("--resize", "2x3x4"), List.of("--resize", "ax3"),
                List.of("--mean", "1,2"), List.of("--std", "0"), List.of("--std", "1,x,3"), List.of("--layout", "chw"))) {
            String option = bad.get(0);
            String v = bad.get(1);
            String m = assertThrows(IllegalArgumentException.class, () -> ImageOptions.parse(
                    option.equals("--resize") ? v : null, null, option.equals("--mean") ? v : null,
                    option.equals("--std") ? v : null, option.equals("--layout") ? v : null, false)).getMessage();
            assertTrue(m.startsWith(option) && m.contains(v), m);
        }
        assertThrows(IllegalArgumentException.class, () -> ImageOptions.parse(null, 0f, null, null, null, false));
    }
}
