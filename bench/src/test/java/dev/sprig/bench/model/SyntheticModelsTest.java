package dev.sprig.bench.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Model;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The synthetic models at tiny sizes: Sprig runs them and gives outputs of the expected shape, and
 * ONNX Runtime, loading the same model through the ONNX export, computes the same outputs.
 */
class SyntheticModelsTest {

    private static final SyntheticModels.CnnSize TINY_CNN = new SyntheticModels.CnnSize(32, 0.125, 10);
    private static final SyntheticModels.EncoderSize TINY_ENCODER = new SyntheticModels.EncoderSize(2, 32, 4, 64, 8);

    private static Tensor onlyOutput(Map<String, Tensor> out) {
        assertEquals(1, out.size(), "outputs " + out.keySet());
        return out.values().iterator().next();
    }

    private static Map<String, Tensor> inputs(Model m, int batch) {
        return new InputFactory(m.graph(), Map.of(), null, null).sample(3, batch);
    }

    @Test
    void resnet18RunsInSprigWithClassScoresPerImage() {
        Model m = SyntheticModels.resnet18(TINY_CNN, 1);
        try (SprigRunner r = new SprigRunner(m, 1)) {
            Tensor y = onlyOutput(r.outputs(inputs(m, 2)));
            assertArrayEquals(new int[]{2, 10}, y.shape().dims());
            assertFinite(y);
        }
        // 20 convolutions as in the paper (17 3x3/7x7 + 3 1x1 projections), each with a BatchNormalization
        assertEquals(20, m.graph().nodes().stream().filter(n -> n.opType().equals("Conv")).count());
        assertEquals(20, m.graph().nodes().stream().filter(n -> n.opType().equals("BatchNormalization")).count());
    }

    @Test
    void mobileNetV2RunsInSprigWithClassScoresPerImage() {
        Model m = SyntheticModels.mobileNetV2(new SyntheticModels.CnnSize(32, 0.25, 10), 2);
        try (SprigRunner r = new SprigRunner(m, 2)) {
            Tensor y = onlyOutput(r.outputs(inputs(m, 3)));
            assertArrayEquals(new int[]{3, 10}, y.shape().dims());
            assertFinite(y);
        }
        // 17 depthwise convolutions, one per inverted residual block
        assertEquals(17, m.graph().nodes().stream()
                .filter(n -> n.opType().equals("Conv") && n.attrInt("group", 1) > 1).count());
    }

    @Test
    void encoderRunsInSprigKeepingTheHiddenStateShape() {
        Model m = SyntheticModels.encoder(TINY_ENCODER, 3);
        try (SprigRunner r = new SprigRunner(m, 1)) {
            Tensor y = onlyOutput(r.outputs(inputs(m, 2)));
            assertArrayEquals(new int[]{2, 8, 32}, y.shape().dims());
            assertFinite(y);
        }
        assertEquals(2 * 2, m.graph().nodes().stream().filter(n -> n.opType().equals("LayerNormalization")).count());
    }

    @Test
    void onnxRuntimeComputesWhatSprigComputesOnTheExportedModels() {
        List<Model> models = List.of(SyntheticModels.resnet18(TINY_CNN, 4),
                SyntheticModels.mobileNetV2(new SyntheticModels.CnnSize(32, 0.25, 10), 5),
                SyntheticModels.encoder(TINY_ENCODER, 6));
        for (Model m : models) {
            BenchModel bm = BenchModel.inMemory(m.graph().name(), m);
            Map<String, Tensor> in = inputs(m, 2);
            try (SprigRunner sprig = new SprigRunner(m, 1);
                 OrtRunner ort = new OrtRunner(m, bm.onnxBytes(), 1)) {
                Tensor expected = onlyOutput(ort.outputs(in));
                Tensor actual = onlyOutput(sprig.outputs(in));
                assertArrayEquals(expected.shape().dims(), actual.shape().dims(), m.graph().name());
                double[] e = expected.toDoubleArray();
                double[] a = actual.toDoubleArray();
                double scale = 0;
                for (double v : e) {
                    scale = Math.max(scale, Math.abs(v));
                }
                Agreement agreement = Agreement.of(List.of(Map.of("y", expected)), List.of(Map.of("y", actual)));
                // float32 through ~20-50 layers in two engines: differences of accumulation order only
                assertTrue(agreement.maxAbsDiff() <= 1e-4 * scale + 1e-5, m.graph().name() + ": max |diff| "
                        + agreement.maxAbsDiff() + " for outputs up to " + scale);
                assertTrue(agreement.cosine() > 0.999999, m.graph().name() + ": cosine " + agreement.cosine());
                assertEquals(e.length, a.length);
            }
        }
    }

    private static void assertFinite(Tensor t) {
        for (double v : t.toDoubleArray()) {
            assertTrue(Double.isFinite(v), "non-finite output in " + t);
        }
    }
}
