package dev.sprig.cli;

import dev.sprig.cli.ImageOptions.Layout;
import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.ValueInfo;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Turns an image file (anything {@link ImageIO} decodes: PNG, JPEG, BMP, GIF) into a batch-1
 * input tensor for a model input.
 *
 * <p>What the declared input implies, unless an {@link ImageOptions} field says otherwise:
 * <ul>
 *   <li>layout: NHWC when the last axis is a fixed 1 or 3 and the second is not, else NCHW;</li>
 *   <li>channels: 1 (grey) or 3 (RGB) from the declared channel axis; 3 when it is not fixed;</li>
 *   <li>size: the declared height and width where fixed, else the image's own;</li>
 *   <li>values: a FLOAT input gets {@code (pixel / 255 - mean) / std} with mean 0 and std 1 by
 *       default, i.e. [0, 1] (the usual convention, and the one the MNIST and ImageNet models of the
 *       ONNX zoo document); a UINT8 input gets the raw pixels, with no normalisation.</li>
 * </ul>
 *
 * <p>Grey images give their stored samples unchanged (not colour-managed), so an 8-bit grey PNG
 * reproduces its bytes exactly; colour images go through sRGB. A colour image made grey uses the
 * ITU-R BT.601 luma {@code 0.299 R + 0.587 G + 0.114 B}. Alpha is dropped. Resampling is
 * {@link BilinearResize}.
 */
final class ImageTensorReader {

    /** File extensions read as images (lower case, with the dot). */
    static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    private ImageTensorReader() {
    }

    /**
     * The tensor for {@code declared} (null when the model does not declare it) from {@code file}.
     *
     * @throws IllegalArgumentException naming the file when it is missing or not a decodable image,
     *                                  or the options and the declared input disagree
     */
    static Tensor read(Path file, ValueInfo declared, ImageOptions options) {
        BufferedImage image = decode(file);
        List<ValueInfo.Dim> dims = declared == null ? null : declared.shape();
        if (dims != null && dims.size() != 4) {
            throw new IllegalArgumentException(file + ": an image gives a rank-4 batch of 1 (NCHW or NHWC), but input "
                    + declared + " has rank " + dims.size());
        }
        Layout layout = options.layout() != null ? options.layout() : layoutOf(dims);
        int channelAxis = layout == Layout.NCHW ? 1 : 3;
        int heightAxis = layout == Layout.NCHW ? 2 : 1;
        int channels = channels(file, declared, dims, channelAxis, options);
        int width = options.width() != null ? options.width() : fixed(dims, heightAxis + 1, image.getWidth());
        int height = options.height() != null ? options.height() : fixed(dims, heightAxis, image.getHeight());

        if ((long) width * height * channels > Shape.MAX_ELEMENTS) {
            throw new IllegalArgumentException(file + ": " + width + "x" + height + "x" + channels
                    + " is more elements than a tensor can hold (" + Shape.MAX_ELEMENTS + ")");
        }
        float[][] planes = planes(image, channels);
        for (int c = 0; c < channels; c++) {
            planes[c] = BilinearResize.resize(planes[c], image.getWidth(), image.getHeight(), width, height);
        }
        int[] shape = layout == Layout.NCHW ? new int[]{1, channels, height, width} : new int[]{1, height, width, channels};
        boolean uint8 = declared != null && declared.type() == DType.UINT8;
        if (uint8 && options.normalises()) {
            throw new IllegalArgumentException(file + ": input " + declared + " takes raw 0..255 pixels; "
                    + "--scale, --mean and --std apply to FLOAT inputs only");
        }
        int pixels = width * height;
        if (uint8) {
            byte[] out = new byte[channels * pixels];
            for (int c = 0; c < channels; c++) {
                for (int i = 0; i < pixels; i++) {
                    out[index(layout, c, i, channels, pixels)] = (byte) Math.clamp(Math.round(planes[c][i]), 0, 255);
                }
            }
            return Tensor.ofUint8(out, shape);
        }
        float divisor = options.divisor();
        float[] out = new float[channels * pixels];
        for (int c = 0; c < channels; c++) {
            float mean = options.mean(c);
            float std = options.std(c);
            for (int i = 0; i < pixels; i++) {
                out[index(layout, c, i, channels, pixels)] = (planes[c][i] / divisor - mean) / std;
            }
        }
        return Tensor.of(out, shape);
    }

    private static BufferedImage decode(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": " + (Files.exists(file) ? "not a regular file" : "no such file"));
        }
        try {
            BufferedImage image = ImageIO.read(file.toFile());
            if (image == null) {
                throw new IllegalArgumentException(file + ": not an image format javax.imageio can decode "
                        + "(expected PNG, JPEG, BMP or GIF)");
            }
            if (image.getWidth() < 1 || image.getHeight() < 1) {
                throw new IllegalArgumentException(file + ": the image is empty (" + image.getWidth() + "x"
                        + image.getHeight() + ")");
            }
            return image;
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException mine && mine.getMessage().startsWith(file.toString())) {
                throw mine;
            }
            // decoders throw unchecked exceptions on some corrupt files too; either way the file is at fault
            throw new IllegalArgumentException(file + ": cannot decode the image: " + causes(e), e);
        }
    }

    private static Layout layoutOf(List<ValueInfo.Dim> dims) {
        if (dims == null) {
            return Layout.NCHW;
        }
        return !isChannelCount(dims.get(1)) && isChannelCount(dims.get(3)) ? Layout.NHWC : Layout.NCHW;
    }

    private static boolean isChannelCount(ValueInfo.Dim d) {
        return d.isFixed() && (d.value() == 1 || d.value() == 3);
    }

    private static int channels(Path file, ValueInfo declared, List<ValueInfo.Dim> dims, int axis, ImageOptions options) {
        ValueInfo.Dim d = dims == null ? null : dims.get(axis);
        int channels;
        if (d == null || !d.isFixed()) {
            channels = options.grayscale() ? 1 : 3;
        } else if (d.value() != 1 && d.value() != 3) {
            throw new IllegalArgumentException(file + ": input " + declared + " has " + d.value() + " channels on axis "
                    + axis + "; an image gives 1 (grey) or 3 (RGB)" + (options.layout() == null ? "" : " (--layout "
                    + options.layout().name().toLowerCase(Locale.ROOT) + ")"));
        } else if (options.grayscale() && d.value() == 3) {
            throw new IllegalArgumentException(file + ": --grayscale gives 1 channel, but input " + declared
                    + " has 3 on axis " + axis);
        } else {
            channels = (int) d.value();
        }
        if (channels == 1 && options.mean() != null && options.mean().length == 3) {
            throw new IllegalArgumentException("--mean has 3 values (r,g,b), but the image tensor for " + what(declared)
                    + " has 1 channel");
        }
        if (channels == 1 && options.std() != null && options.std().length == 3) {
            throw new IllegalArgumentException("--std has 3 values (r,g,b), but the image tensor for " + what(declared)
                    + " has 1 channel");
        }
        return channels;
    }

    private static String what(ValueInfo declared) {
        return declared == null ? "this input" : "input " + declared;
    }

    private static int fixed(List<ValueInfo.Dim> dims, int axis, int otherwise) {
        if (dims == null || !dims.get(axis).isFixed()) {
            return otherwise;
        }
        return Math.toIntExact(dims.get(axis).value());
    }

    /** The image as {@code channels} planes of row-major values in 0..255. */
    private static float[][] planes(BufferedImage image, int channels) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[][] planes = new float[channels][w * h];
        ColorModel cm = image.getColorModel();
        boolean grey = !(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
        if (grey) {
            // getRGB would map the linear grey colour space to sRGB and change the values
            Raster raster = image.getRaster();
            float max = (1L << cm.getComponentSize(0)) - 1;
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    float v = max == 255 ? row[x] : row[x] * 255f / max;
                    for (int c = 0; c < channels; c++) {
                        planes[c][y * w + x] = v;
                    }
                }
            }
            return planes;
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < argb.length; i++) {
            int r = (argb[i] >> 16) & 0xFF;
            int g = (argb[i] >> 8) & 0xFF;
            int b = argb[i] & 0xFF;
            if (channels == 1) {
                planes[0][i] = 0.299f * r + 0.587f * g + 0.114f * b;
            } else {
                planes[0][i] = r;
                planes[1][i] = g;
                planes[2][i] = b;
            }
        }
        return planes;
    }

    private static int index(Layout layout, int c, int pixel, int channels, int pixels) {
        return layout == Layout.NCHW ? c * pixels + pixel : pixel * channels + c;
    }

    private static String causes(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (!sb.toString().contains(m)) {
                sb.append(sb.isEmpty() ? "" : ": ").append(m);
            }
        }
        return sb.toString();
    }
}
