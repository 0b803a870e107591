package dev.sprig.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Attribute;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import dev.sprig.core.graph.ValueInfo;
import dev.sprig.core.ops.OperatorRegistry;
import dev.sprig.core.session.Session;
import dev.sprig.core.session.SessionOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The quantizer on small hand-built models, every expectation computed directly in the test:
 * ranges by scanning the values, scales as max|w| / 127, INT32 biases as round(b / (x_scale *
 * w_scale)), bias correction by comparing channel means of the FP32 and the simulated model.
 */
class QuantizerTest {

    private static final float[] W1 = {0.5f, -0.25f, 0.1f, -0.7f, 0.3f, 0.9f, 0.2f, -0.1f, 0.05f, 0.6f, -0.4f, 0.33f};
    private static final float[] B1 = {0.1f, -0.2f, 0.05f};
    private static final float[] W2 = {1f, -0.5f, 0.25f, 0.75f, -1.5f, 0.4f};

    /** x[1,4] -> MatMul W1[4,3] -> Add b1 -> Relu -> MatMul W2[3,2] -> y. */
    private static Model mlp() {
        Map<String, Tensor> init = new LinkedHashMap<>();
        init.put("W1", Tensor.of(W1.clone(), 4, 3));
        init.put("b1", Tensor.of(B1.clone(), 3));
        init.put("W2", Tensor.of(W2.clone(), 3, 2));
        List<Node> nodes = List.of(
                Node.of("mm1", "MatMul", List.of("x", "W1"), List.of("h")),
                Node.of("add1", "Add", List.of("h", "b1"), List.of("a")),
                Node.of("relu", "Relu", List.of("a"), List.of("r")),
                Node.of("mm2", "MatMul", List.of("r", "W2"), List.of("y")));
        Graph g = new Graph("mlp", nodes, List.of(floatInput("x", 1, 4)), List.of(floatInput("y", 1, 2)), init, List.of());
        return new Model(g, Map.of("", 13), 8, "test");
    }

    /** x[1,2,6,6] -> Conv W[3,2,3,3] + B[3], pads 1 -> y. */
    private static Model conv(Random r) {
        float[] w = new float[3 * 2 * 9];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian() * 0.3f;
        }
        Map<String, Tensor> init = new LinkedHashMap<>();
        init.put("W", Tensor.of(w, 3, 2, 3, 3));
        init.put("B", Tensor.of(new float[]{0.2f, -0.1f, 0.05f}, 3));
        Node conv = new Node("conv", "Conv", "", List.of("x", "W", "B"), List.of("y"),
                Map.of("pads", Attribute.of("pads", new long[]{1, 1, 1, 1})));
        Graph g = new Graph("conv", List.of(conv), List.of(floatInput("x", 1, 2, 6, 6)),
                List.of(floatInput("y", 1, 3, 6, 6)), init, List.of());
        return new Model(g, Map.of("", 13), 8, "test");
    }

    private static ValueInfo floatInput(String name, long... dims) {
        return new ValueInfo(name, DType.FLOAT, Arrays.stream(dims).mapToObj(ValueInfo.Dim::of).toList());
    }

    /** {@code n} inputs named x of shape dims, uniform in [lo, hi). */
    private static CalibrationData data(Random r, int n, float lo, float hi, int... dims) {
        List<Map<String, Tensor>> samples = new ArrayList<>();
        int size = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
        for (int s = 0; s < n; s++) {
            float[] x = new float[size];
            for (int i = 0; i < size; i++) {
                x[i] = lo + (hi - lo) * r.nextFloat();
            }
            samples.add(Map.of("x", Tensor.of(x, dims)));
        }
        return CalibrationData.of(samples);
    }

    @Test
    void minMaxRangesEqualADirectScan() {
        CalibrationData data = data(new Random(1), 40, -2, 3, 1, 4);
        Map<String, TensorRange> ranges = new Calibrator(QuantConfig.defaults())
                .ranges(mlp(), data, Set.of("x", "r"), QuantProgress.NONE);
        float xMin = Float.MAX_VALUE;
        float xMax = -Float.MAX_VALUE;
        float rMin = Float.MAX_VALUE;
        float rMax = -Float.MAX_VALUE;
        for (Map<String, Tensor> s : data) {
            float[] x = s.get("x").floatData();
            for (int k = 0; k < 4; k++) {
                xMin = Math.min(xMin, x[k]);
                xMax = Math.max(xMax, x[k]);
            }
            for (int j = 0; j < 3; j++) {
                float h = 0;
                for (int k = 0; k < 4; k++) {
                    h += x[k] * W1[k * 3 + j];
                }
                float relu = Math.max(0, h + B1[j]);
                rMin = Math.min(rMin, relu);
                rMax = Math.max(rMax, relu);
            }
        }
        assertEquals(xMin, ranges.get("x").min());
        assertEquals(xMax, ranges.get("x").max());
        assertEquals(rMin, ranges.get("r").min());
        assertEquals(rMax, ranges.get("r").max(), 1e-5f);
    }

    @Test
    void percentileRangeClipsAtTheSortedPercentile() {
        Random r = new Random(2);
        List<Map<String, Tensor>> samples = new ArrayList<>();
        List<Float> all = new ArrayList<>();
        for (int s = 0; s < 20; s++) {
            float[] x = new float[4];
            for (int i = 0; i < 4; i++) {
                x[i] = (float) r.nextGaussian();
                all.add(Math.abs(x[i]));
            }
            samples.add(Map.of("x", Tensor.of(x, 1, 4)));
        }
        samples.add(Map.of("x", Tensor.of(new float[]{50f, 0, 0, 0}, 1, 4)));
        all.add(50f);
        all.addAll(List.of(0f, 0f, 0f));
        QuantConfig config = QuantConfig.defaults().withMethod(CalibrationMethod.PERCENTILE).withPercentile(95);
        TensorRange range = new Calibrator(config).ranges(mlp(), CalibrationData.of(samples), Set.of("x"),
                QuantProgress.NONE).get("x");
        all.sort(null);
        float direct = all.get((int) Math.ceil(0.95 * all.size()) - 1);
        double bin = 50.0 / 2048;
        assertTrue(Math.abs(range.max() - direct) <= bin, "max " + range.max() + " vs sorted " + direct);
        assertTrue(range.max() < 10, "the outlier at 50 is clipped");
    }

    @Test
    void qdqModelHasPerColumnInt8WeightsAndQuantizedActivations() {
        Random r = new Random(3);
        CalibrationData data = data(r, 30, -2, 3, 1, 4);
        Model q = Quantizer.quantize(mlp(), data, QuantConfig.defaults());
        assertEquals(13, q.opset(""));
        Graph g = q.graph();
        assertEquals(List.of("x", "r"), g.nodes().stream().filter(n -> n.opType().equals("QuantizeLinear"))
                .map(n -> n.inputs().get(0)).toList());
        for (String w : List.of("W1", "W2")) {
            float[] fp = w.equals("W1") ? W1 : W2;
            int cols = w.equals("W1") ? 3 : 2;
            Node dq = g.nodes().stream().filter(n -> n.opType().equals("DequantizeLinear")
                    && n.inputs().get(0).startsWith(w + "_")).findFirst().orElseThrow();
            assertEquals(1L, dq.attrInt("axis", -1), w + " per column");
            Tensor values = g.initializers().get(dq.inputs().get(0));
            assertEquals(DType.INT8, values.dtype());
            float[] scales = g.initializers().get(dq.inputs().get(1)).floatData();
            for (int c = 0; c < cols; c++) {
                float max = 0;
                for (int k = 0; k < fp.length / cols; k++) {
                    max = Math.max(max, Math.abs(fp[k * cols + c]));
                }
                assertEquals(max / 127, scales[c], 0f, w + " column " + c);
                for (int k = 0; k < fp.length / cols; k++) {
                    assertEquals(Math.rint(fp[k * cols + c] / scales[c]), values.getLong(k, c), w + "[" + k + "," + c + "]");
                }
            }
            assertTrue(!g.initializers().containsKey(w), "the FP32 " + w + " is dropped");
        }
        // the simulation stays within a few output steps of FP32
        assertClose(mlp(), QdqSimulation.toFloat(q), data, 0.05);
    }

    @Test
    void qdqModelRunsOnTheQuantOperatorsLikeItsSimulation() {
        Assumptions.assumeTrue(OperatorRegistry.standard().supports("", "QuantizeLinear", 13),
                "QuantizeLinear is not registered yet");
        Random r = new Random(4);
        CalibrationData data = data(r, 30, 0, 1, 1, 2, 6, 6);
        Model q = Quantizer.quantize(conv(new Random(5)), data, QuantConfig.defaults());
        // the same float arithmetic: equal up to the last bits of the convolution's summation order
        assertClose(QdqSimulation.toFloat(q), q, data, 1e-5);
    }

    @Test
    void convBiasIsInt32AtInputScaleTimesWeightScale() {
        Random r = new Random(6);
        Model fp32 = conv(r);
        CalibrationData data = data(r, 10, -1, 2, 1, 2, 6, 6);
        Model q = Quantizer.quantize(fp32, data, QuantConfig.defaults().withBiasCorrection(false));
        float lo = 0;
        float hi = 0;
        for (Map<String, Tensor> s : data) {
            for (float v : s.get("x").floatData()) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        float xs = (float) (((double) hi - lo) / 255);
        Node biasDq = q.graph().nodes().stream().filter(n -> n.opType().equals("DequantizeLinear")
                && q.graph().initializers().containsKey(n.inputs().get(0))
                && q.graph().initializers().get(n.inputs().get(0)).dtype() == DType.INT32).findFirst().orElseThrow();
        assertEquals(0L, biasDq.attrInt("axis", -1));
        int[] bias = q.graph().initializers().get(biasDq.inputs().get(0)).intData();
        float[] b = fp32.graph().initializers().get("B").floatData();
        float[] w = fp32.graph().initializers().get("W").floatData();
        for (int c = 0; c < 3; c++) {
            float max = 0;
            for (int i = 0; i < 18; i++) {
                max = Math.max(max, Math.abs(w[c * 18 + i]));
            }
            float scale = xs * (max / 127);
            assertEquals(Math.rint(b[c] / scale), bias[c], 0, "bias channel " + c);
            assertEquals(scale, q.graph().initializers().get(biasDq.inputs().get(1)).floatData()[c], 0f);
        }
    }

    @Test
    void biasCorrectionMatchesTheFp32ChannelMeans() {
        Random r = new Random(8);
        Model fp32 = conv(r);
        // inputs with a large positive mean: the weights' rounding error shifts every output channel
        CalibrationData data = data(r, 20, 0.5f, 1.5f, 1, 2, 6, 6);
        double[] teacher = channelMeans(fp32, data);
        double[] plain = channelMeans(QdqSimulation.toFloat(
                Quantizer.quantize(fp32, data, QuantConfig.defaults().withBiasCorrection(false))), data);
        double[] corrected = channelMeans(QdqSimulation.toFloat(
                Quantizer.quantize(fp32, data, QuantConfig.defaults())), data);
        double before = 0;
        double after = 0;
        for (int c = 0; c < 3; c++) {
            before = Math.max(before, Math.abs(plain[c] - teacher[c]));
            after = Math.max(after, Math.abs(corrected[c] - teacher[c]));
        }
        assertTrue(before > 1e-4, "quantization shifts the means: " + before);
        assertTrue(after < before / 10 && after < 1e-4, "corrected shift " + after + " vs " + before);
    }

    @Test
    void excludedOpTypesStayFp32() {
        Random r = new Random(9);
        Model q = Quantizer.quantize(conv(r), data(r, 5, 0, 1, 1, 2, 6, 6),
                QuantConfig.defaults().withExcluded(Set.of(), Set.of("Conv")));
        assertTrue(q.graph().nodes().stream().noneMatch(n -> n.opType().endsWith("QuantizeLinear")), q.graph().nodes()
                .toString());
        Model byName = Quantizer.quantize(mlp(), data(r, 5, 0, 1, 1, 4),
                QuantConfig.defaults().withExcluded(Set.of("mm2"), Set.of()));
        assertEquals(List.of("x"), byName.graph().nodes().stream().filter(n -> n.opType().equals("QuantizeLinear"))
                .map(n -> n.inputs().get(0)).toList());
        assertTrue(byName.graph().initializers().containsKey("W2"), "mm2 keeps its FP32 weight");
    }

    @Test
    void dynamicModeQuantizesMatMulWeightsAndActivationsAtRunTime() {
        Model q = Quantizer.quantize(mlp(), CalibrationData.none(), QuantConfig.defaults().withDynamic(true));
        List<String> ops = q.graph().nodes().stream().map(Node::opType).toList();
        assertEquals(2, ops.stream().filter("DynamicQuantizeLinear"::equals).count(), ops.toString());
        assertEquals(2, ops.stream().filter("MatMulInteger"::equals).count(), ops.toString());
        Node mmi = q.graph().nodes().stream().filter(n -> n.opType().equals("MatMulInteger")).findFirst().orElseThrow();
        Tensor w = q.graph().initializers().get(mmi.inputs().get(1));
        assertEquals(DType.INT8, w.dtype());
        // column 2 of W1: max |w| = 0.9, so 0.1 -> round(0.1 / (0.9/127)) = round(14.11) = 14
        assertEquals(14, w.getLong(0, 2));
        Assumptions.assumeTrue(OperatorRegistry.standard().supports("", "MatMulInteger", 11)
                && OperatorRegistry.standard().supports("", "DynamicQuantizeLinear", 11),
                "the integer operators are not registered yet");
        assertClose(mlp(), q, data(new Random(10), 20, -2, 3, 1, 4), 0.05);
    }

    @Test
    void alreadyQuantizedModelsAreRefused() {
        Model q = Quantizer.quantize(mlp(), CalibrationData.none(), QuantConfig.defaults().withDynamic(true));
        ModelException e = assertThrows(ModelException.class,
                () -> Quantizer.quantize(q, CalibrationData.none(), QuantConfig.defaults()));
        assertTrue(e.getMessage().contains("already quantized"), e.getMessage());
        IllegalArgumentException noData = assertThrows(IllegalArgumentException.class,
                () -> Quantizer.quantize(mlp(), CalibrationData.none(), QuantConfig.defaults()));
        assertTrue(noData.getMessage().contains("calibration data"), noData.getMessage());
    }

    @Test
    void opsetUpgradeKeepsOldSoftmaxAndSqueezeMeaning() {
        // opset 8 Softmax on [2,3,4] with axis 1 normalises over the last 12 values of each row
        Node softmax = Node.of("sm", "Softmax", List.of("x"), List.of("s"));
        Node squeeze = new Node("sq", "Squeeze", "", List.of("s"), List.of("y"),
                Map.of("axes", Attribute.of("axes", new long[]{0})));
        Graph g = new Graph("old", List.of(softmax, squeeze), List.of(floatInput("x", 1, 3, 4)),
                List.of(floatInput("y", 3, 4)), Map.of(), List.of());
        Model old = new Model(g, Map.of("", 8), 3, "");
        Model raised = OpsetUpgrade.raise(old, 13);
        assertEquals(13, raised.opset(""));
        float[] x = new float[12];
        for (int i = 0; i < 12; i++) {
            x[i] = i * 0.1f;
        }
        double sum = 0;
        for (float v : x) {
            sum += Math.exp(v);
        }
        float[] y = run(raised, Map.of("x", Tensor.of(x, 1, 3, 4))).floatData();
        for (int i = 0; i < 12; i++) {
            assertEquals(Math.exp(x[i]) / sum, y[i], 1e-6, "element " + i);
        }
    }

    private static Tensor run(Model m, Map<String, Tensor> in) {
        try (Session s = Session.create(m, SessionOptions.threads(1))) {
            return s.run(in).values().iterator().next();
        }
    }

    private static double[] channelMeans(Model m, CalibrationData data) {
        ChannelMeans means = new ChannelMeans(1);
        for (Map<String, Tensor> in : data) {
            means.add(run(m, in));
        }
        return means.means();
    }

    /** Every output element of {@code actual} within {@code tol} x (1 + max |expected|) of {@code expected}. */
    private static void assertClose(Model expected, Model actual, CalibrationData data, double tol) {
        for (Map<String, Tensor> in : data) {
            double[] e = run(expected, in).toDoubleArray();
            double[] a = run(actual, in).toDoubleArray();
            assertEquals(e.length, a.length);
            double scale = 1;
            for (double v : e) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < e.length; i++) {
                assertEquals(e[i], a[i], tol * scale, "element " + i + " of " + Arrays.toString(a) + " vs "
                        + Arrays.toString(e));
            }
        }
    }
}
