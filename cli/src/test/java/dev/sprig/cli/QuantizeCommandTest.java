package dev.sprig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.bench.model.MnistTestSet;
import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OperatorRegistry;
import dev.sprig.core.session.Session;
import dev.sprig.core.session.SessionOptions;
import dev.sprig.onnx.OnnxModelLoader;
import dev.sprig.quant.QdqSimulation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sprig quantize} on mnist-8, calibrated on the first 1000 MNIST test images, evaluated on
 * all 10,000: the targets are an accuracy drop of at most 0.2 points from FP32 and
 * quantized weights of at most 0.26x their FP32 bytes. The quantized model is run through the
 * QuantizeLinear/DequantizeLinear operators when Sprig has them, else through its float
 * simulation (printed).
 */
class QuantizeCommandTest {

    private static Path testdata() {
        return Path.of(System.getProperty("sprig.testdata", "../shared/testdata"));
    }

    private static Path mnistModel() {
        Path model = testdata().resolve("models/mnist-8/model.onnx");
        boolean present = Files.exists(model) && Files.isDirectory(testdata().resolve("datasets/mnist"));
        Assumptions.assumeTrue(present, () -> {
            String reason = "skipped: no mnist-8 model or MNIST data under " + testdata().toAbsolutePath();
            System.out.println(reason);
            return reason;
        });
        return model;
    }

    @Test
    void mnist8QuantizedMeetsTheAccuracyAndSizeTargets(@TempDir Path tmp) {
        Path fp32File = mnistModel();
        Path out = tmp.resolve("mnist-int8.onnx");
        String[] printed = CliRunner.sprig(0, "quantize", fp32File.toString(), "--calibration", "mnist", "--samples",
                "1000", "--data", testdata().toString(), "--out", out.toString());
        assertTrue(printed[0].contains("1000 calibration samples"), printed[0]);
        assertTrue(printed[1].contains("quantize 100%"), "a progress bar on stderr: " + printed[1]);

        MnistTestSet mnist = MnistTestSet.load(testdata().resolve("datasets/mnist"));
        Model fp32 = OnnxModelLoader.load(fp32File);
        Model int8 = OnnxModelLoader.load(out);
        int fp32Correct = correct(fp32, mnist);
        int int8Correct = correct(runnable(int8), mnist);
        double drop = 100.0 * (fp32Correct - int8Correct) / mnist.size();

        // quantized weights: the INT8 initializers and the scales of the DequantizeLinear reading them,
        // against 4 bytes per weight in FP32
        long int8Elements = 0;
        long quantizedBytes = 0;
        for (Node n : int8.graph().nodes()) {
            Tensor w = int8.graph().initializers().get(n.inputs().get(0));
            if (n.opType().equals("DequantizeLinear") && w != null && w.dtype() == DType.INT8) {
                int8Elements += w.size();
                quantizedBytes += w.size();
                for (int i = 1; i < n.inputs().size(); i++) {
                    Tensor p = int8.graph().initializers().get(n.inputs().get(i));
                    quantizedBytes += (long) p.size() * p.dtype().byteSize();
                }
            }
        }
        assertEquals(8 * 25 + 16 * 8 * 25 + 256 * 10, int8Elements, "every Conv and MatMul weight is INT8");
        double ratio = (double) quantizedBytes / (4.0 * int8Elements);
        System.out.printf("mnist-8 INT8 (QDQ, min-max, 1000 calibration images, bias correction) via %s: top-1 %.2f%%"
                        + " vs FP32 %.2f%% (drop %.2f points); quantized weights %,d bytes = %.4fx FP32 (%,d bytes)%n",
                executedBy(), 100.0 * int8Correct / mnist.size(), 100.0 * fp32Correct / mnist.size(), drop,
                quantizedBytes, ratio, 4 * int8Elements);
        try (Session session = Session.create(runnable(int8), SessionOptions.threads(1))) {
            // QdqFusion: both QDQ convolutions run as integer QLinearConv (the ReLU folded into the clamp)
            long integerConvs = session.graph().nodes().stream().filter(n -> n.opType().equals("QLinearConv")).count();
            assertEquals(realQuantOps() ? 2 : 0, integerConvs, session.graph().nodes().toString());
        }
        assertEquals(9891, fp32Correct, "FP32 reference accuracy");
        assertTrue(drop <= 0.2, "accuracy drop " + drop + " points > 0.2");
        assertTrue(ratio <= 0.26, "weight bytes " + ratio + "x > 0.26x");
    }

    @Test
    void badArgumentsGiveOneLineErrors(@TempDir Path tmp) {
        Path fp32File = mnistModel();
        String[] noData = CliRunner.sprig(1, "quantize", fp32File.toString(), "--out",
                tmp.resolve("x.onnx").toString());
        assertTrue(noData[1].startsWith("sprig quantize: ") && noData[1].contains("--calibration"), noData[1]);
        String[] badMethod = CliRunner.sprig(1, "quantize", fp32File.toString(), "--calibration", "mnist",
                "--method", "median",
                "--data", testdata().toString(), "--out", tmp.resolve("x.onnx").toString());
        assertTrue(badMethod[1].contains("--method must be minmax, percentile or entropy"), badMethod[1]);
    }

    @Test
    void testDataSetFoldersCalibrateToo(@TempDir Path tmp) {
        Path fp32File = mnistModel();
        Path out = tmp.resolve("mnist-sets.onnx");
        String[] printed = CliRunner.sprig(0, "quantize", fp32File.toString(), "--calibration",
                fp32File.getParent().toString(),
                "--method", "entropy", "--out", out.toString());
        // mnist-8 ships test_data_set_0..3
        assertTrue(printed[0].contains("4 calibration samples, entropy"), printed[0]);
        Model int8 = OnnxModelLoader.load(out);
        assertTrue(int8.graph().nodes().stream().anyMatch(n -> n.opType().equals("QuantizeLinear")));
    }

    private static boolean realQuantOps() {
        return OperatorRegistry.standard().supports("", "QuantizeLinear", 13)
                && OperatorRegistry.standard().supports("", "DequantizeLinear", 13);
    }

    private static String executedBy() {
        return realQuantOps() ? "Sprig's QuantizeLinear/DequantizeLinear operators" : "the FP32 Q/DQ float simulation";
    }

    private static Model runnable(Model qdq) {
        return realQuantOps() ? qdq : QdqSimulation.toFloat(qdq);
    }

    private static int correct(Model model, MnistTestSet mnist) {
        String input = model.graph().inputs().get(0).name();
        int correct = 0;
        try (Session session = Session.create(model, SessionOptions.defaults())) {
            for (int n = 0; n < mnist.size(); n++) {
                Tensor logits = session.run(Map.of(input, Tensor.of(mnist.pixels(n), 1, 1, 28, 28)))
                        .values().iterator().next();
                double[] v = logits.toDoubleArray();
                int best = 0;
                for (int c = 1; c < v.length; c++) {
                    best = v[c] > v[best] ? c : best;
                }
                correct += best == mnist.label(n) ? 1 : 0;
            }
        }
        return correct;
    }
}
