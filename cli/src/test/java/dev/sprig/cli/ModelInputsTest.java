package dev.sprig.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.ValueInfo;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ModelInputs#fromFiles} mixing file kinds over the inputs of one graph. */
class ModelInputsTest {

    @TempDir
    Path dir;

    private static final Graph TWO_INPUTS = new Graph("g", List.of(),
            List.of(new ValueInfo("image", DType.FLOAT, List.of(ValueInfo.Dim.of(1), ValueInfo.Dim.of(3),
                            ValueInfo.Dim.of(2), ValueInfo.Dim.of(2))),
                    new ValueInfo("ids", DType.INT64, List.of(ValueInfo.Dim.of(3)))),
            List.of(), Map.of(), List.of());

    private Path ids() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putLong(5).putLong(-1).putLong(9);
        Path f = dir.resolve("ids.npy");
        Files.write(f, NpyTensorReaderTest.npy(1, NpyTensorReaderTest.dict("<i8", false, 3), b.array()));
        return f;
    }

    private Path image() throws Exception {
        BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 1, 0x00FF00);
        Path f = dir.resolve("img.jpeg.png");
        ImageIO.write(img, "png", f.toFile());
        return f;
    }

    @Test
    void imagesAndArraysMixByNameOrPosition() throws Exception {
        Map<String, Tensor> byPosition = ModelInputs.fromFiles(TWO_INPUTS, List.of(image().toString(), ids().toString()),
                ImageOptions.defaults());
        Map<String, Tensor> byName = ModelInputs.fromFiles(TWO_INPUTS, List.of("ids=" + ids(), "image=" + image()),
                ImageOptions.defaults());
        for (Map<String, Tensor> in : List.of(byPosition, byName)) {
            assertArrayEquals(new long[]{5, -1, 9}, in.get("ids").longData());
            Tensor img = in.get("image");
            assertArrayEquals(new int[]{1, 3, 2, 2}, img.shape().dims());
            assertEquals(1f, img.getFloat(0, 1, 1, 1));
            assertEquals(0f, img.getFloat(0, 0, 1, 1));
        }
    }

    @Test
    void namesCountsAndExtensionsAreChecked() throws Exception {
        String ids = ids().toString();
        String unknown = assertThrows(IllegalArgumentException.class, () -> ModelInputs.fromFiles(TWO_INPUTS,
                List.of("tokens=" + ids), ImageOptions.defaults())).getMessage();
        assertTrue(unknown.contains("no input 'tokens'") && unknown.contains("image:FLOAT[1,3,2,2]"), unknown);
        String twice = assertThrows(IllegalArgumentException.class, () -> ModelInputs.fromFiles(TWO_INPUTS,
                List.of("ids=" + ids, "ids=" + ids), ImageOptions.defaults())).getMessage();
        assertTrue(twice.contains("'ids' is given twice"), twice);
        String tooMany = assertThrows(IllegalArgumentException.class, () -> ModelInputs.fromFiles(TWO_INPUTS,
                List.of(ids, ids, ids), ImageOptions.defaults())).getMessage();
        assertTrue(tooMany.contains("only 2 inputs"), tooMany);
        Path raw = dir.resolve("x.raw");
        Files.write(raw, new byte[4]);
        String ext = assertThrows(IllegalArgumentException.class, () -> ModelInputs.fromFiles(TWO_INPUTS,
                List.of("ids=" + raw), ImageOptions.defaults())).getMessage();
        assertTrue(ext.contains("unknown file type '.raw'") && ext.contains(".pb") && ext.contains(".png"), ext);
    }
}
