package dev.sprig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code sprig run} and {@code sprig inspect} on mnist-8 from the shared test data. */
class ModelCommandsTest {

    private static Path mnist() {
        Path model = Path.of(System.getProperty("sprig.testdata", "../shared/testdata"), "models/mnist-8/model.onnx");
        Assumptions.assumeTrue(Files.exists(model), () -> {
            String reason = "skipped: no " + model;
            System.out.println(reason);
            return reason;
        });
        return model;
    }

    @Test
    void runUsesTheTestDataSetAndMatchesItsOutput() {
        String out = CliRunner.sprig(0, "run", mnist().toString(), "--threads", "1")[0];
        // test_data_set_0's expected argmax is 8 (SOURCE.txt)
        assertTrue(out.contains("#1  class 8"), out);
        assertTrue(out.contains("within 1e-4 + 1e-3|expected|"), out);
    }

    @Test
    void runTakesInputFilesByNameOrPosition() {
        Path set = mnist().getParent().resolve("test_data_set_1");
        String byName = CliRunner.sprig(0, "run", mnist().toString(), "--input",
                "Input3=" + set.resolve("input_0.pb"))[0];
        String byPosition = CliRunner.sprig(0, "run", mnist().toString(), "--input",
                set.resolve("input_0.pb").toString())[0];
        // test_data_set_1 is MNIST test image #0, a 7
        assertTrue(byName.contains("#1  class 7"), byName);
        assertTrue(byPosition.contains("#1  class 7"), byPosition);
    }

    @Test
    void inspectReportsOpsParametersFlopsAndArena() {
        String out = CliRunner.sprig(0, "inspect", mnist().toString())[0];
        assertTrue(out.contains("Input3:FLOAT[1,1,28,28]"), out);
        assertTrue(out.contains("Conv=2") && out.contains("MatMul=1"), out);
        // 8x1x5x5 + 8 + 16x8x5x5 + 16 + 256x10 + 10 weights (and the 2 Reshape shapes of 2 INT64 each)
        assertTrue(out.contains("parameters 5,998"), out);
        assertTrue(out.contains("arena "), out);
    }

    @Test
    void inspectListsTheNodesAsLoadedOrAfterThePasses() {
        String loaded = CliRunner.sprig(0, "inspect", mnist().toString(), "--no-optimize", "--nodes")[0];
        // the file's 12 nodes in its order: node 1 is the first Conv, node 11 the final Add
        assertTrue(loaded.contains("nodes as loaded (12):"), loaded);
        assertTrue(loaded.matches("(?s).*\\n +1 Conv +Convolution28 \\[Input3, Parameter5\\].*"), loaded);
        assertTrue(loaded.matches("(?s).*\\n +11 Add +Plus214 .*"), loaded);
        assertTrue(loaded.contains("no passes (--no-optimize) 12 nodes"), loaded);
        assertTrue(!loaded.contains("dev.sprig:"), "no fused op without the passes");

        String optimized = CliRunner.sprig(0, "inspect", mnist().toString(), "--nodes")[0];
        assertTrue(optimized.contains("nodes after passes ("), optimized);
        // Conv + bias Add + Relu fused, twice; the MatMul with its packed weight
        assertEquals(2, optimized.split("dev\\.sprig:FusedConv +Convolution", -1).length - 1, optimized);
        assertTrue(optimized.contains("dev.sprig:MatMulBias"), optimized);
        assertTrue(!optimized.matches("(?s).*\\n +\\d+ Relu .*"), "the Relus are fused");

        String plain = CliRunner.sprig(0, "inspect", mnist().toString())[0];
        assertTrue(!plain.contains("nodes after passes") && !plain.contains("nodes as loaded"), plain);
    }

    @Test
    void badModelsAndInputsGiveOneLineErrors() {
        String[] missing = CliRunner.sprig(1, "run", "no-such-model.onnx");
        assertTrue(missing[1].startsWith("sprig run: ") && missing[1].contains("no-such-model.onnx"), missing[1]);
        String[] badInput = CliRunner.sprig(1, "run", mnist().toString(), "--input", "nope=" + mnist());
        assertTrue(badInput[1].startsWith("sprig run: "), badInput[1]);
    }
}
