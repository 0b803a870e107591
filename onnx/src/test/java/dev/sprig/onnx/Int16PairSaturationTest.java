package dev.sprig.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Model;
import dev.sprig.core.ops.OperatorRegistry;
import dev.sprig.core.session.Session;
import dev.sprig.core.session.SessionOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The explanation of the one entry of {@code model-reference-differences.txt}, checked: with
 * QLinearConv and QLinearMatMul replaced by {@link Int16PairSaturation}'s twins, which sum as
 * ONNX Runtime's AVX2 UINT8 x INT8 kernel does (pairs of products saturating in 16 bits), Sprig
 * reproduces shufflenet-v2-12-int8's stored reference outputs exactly, every value. So the stored
 * references differ from the exact sum that QLinearConv defines (and Sprig computes) by that
 * saturation alone.
 */
class Int16PairSaturationTest {

    @Test
    void shufflenetReferencesAreTheExactModelWithInt16PairSaturation() throws Exception {
        Path dir = TestData.root().resolve("models/shufflenet-v2-12-int8");
        Assumptions.assumeTrue(Files.exists(dir.resolve("model.onnx")), () -> TestData.skipReason("shufflenet"));
        Model model = OnnxModelLoader.load(dir.resolve("model.onnx"));
        OperatorRegistry saturating = OperatorRegistry.standard().copy()
                .replace("", "QLinearConv", 10, (node, opset) -> Int16PairSaturation.qlinearConv(node))
                .replace("", "QLinearMatMul", 10, (node, opset) -> Int16PairSaturation.qlinearMatMul(node));
        List<Path> sets;
        try (Stream<Path> s = Files.list(dir)) {
            sets = s.filter(d -> d.getFileName().toString().startsWith("test_data_set_")).sorted().toList();
        }
        // no passes: they would turn the graph's QLinear ops into Sprig's fused ones, which keep the exact sums
        try (Session session = Session.create(model, SessionOptions.threads(1).withOptimize(false), saturating)) {
            for (Path set : sets) {
                Map<String, Tensor> inputs = new LinkedHashMap<>();
                inputs.put(model.graph().inputs().get(0).name(), TensorProtos.readTensorFile(set.resolve("input_0.pb")));
                Tensor got = session.run(inputs).values().iterator().next();
                Tensor expected = TensorProtos.readTensorFile(set.resolve("output_0.pb"));
                double[] g = got.toDoubleArray();
                double[] e = expected.toDoubleArray();
                int differing = 0;
                double worst = 0;
                for (int i = 0; i < e.length; i++) {
                    differing += g[i] == e[i] ? 0 : 1;
                    worst = Math.max(worst, Math.abs(g[i] - e[i]));
                }
                System.out.println("shufflenet with int16 pair saturation, " + set.getFileName() + ": " + differing
                        + " of " + e.length + " values differ from the reference, max |diff| " + worst);
                assertEquals(0, differing, set.getFileName() + ": values differing from the stored reference");
            }
        }
    }
}
