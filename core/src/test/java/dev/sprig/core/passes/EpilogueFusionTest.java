package dev.sprig.core.passes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Attribute;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import dev.sprig.core.graph.ValueInfo;
import dev.sprig.core.session.Session;
import dev.sprig.core.session.SessionOptions;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Gemm and Conv with a following activation, on the standard operators: the fused graph against
 * a direct loop written here from the ONNX definitions (the Gemm's constant B is also pre-packed
 * at creation, so this checks that path too).
 */
class EpilogueFusionTest {

    private static final SplittableRandom RANDOM = new SplittableRandom(11);

    @Test
    void gemmWithReluRunsFusedAndMatchesTheDefinition() {
        int m = 7;
        int k = 19;
        int n = 13;
        Tensor a = random(m, k);
        Tensor w = random(n, k);
        Tensor c = random(n);
        Node gemm = Node.of("fc", "Gemm", List.of("a", "w", "c"), List.of("h"))
                .withAttribute(Attribute.of("transB", 1L)).withAttribute(Attribute.of("alpha", 0.5f));
        Graph g = new Graph("g", List.of(gemm, Node.of("relu", "Relu", List.of("h"), List.of("y"))),
                List.of(new ValueInfo("a", DType.FLOAT, null)), List.of(new ValueInfo("y", DType.FLOAT, null)),
                Map.of("w", w, "c", c), List.of());
        float[] expected = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (double) a.floatData()[i * k + p] * w.floatData()[j * k + p];
                }
                expected[i * n + j] = (float) Math.max(0, 0.5 * s + c.floatData()[j]);
            }
        }
        Graph optimised = check(g, Map.of("a", a), expected);
        assertEquals(List.of("FusedGemm"), optimised.nodes().stream().map(Node::opType).toList());
    }

    @Test
    void convWithClipRunsFusedAndMatchesTheDefinition() {
        Graph optimised = convClip(3, 4, 6, 5);
        assertEquals(List.of("FusedConv"), optimised.nodes().stream().map(Node::opType).toList());
    }

    @Test
    void convWithEnoughChannelsTakesWinogradAndMatchesTheDefinition() {
        // Conv2dWinograd.MIN_CHANNELS in and out, 48 output tiles: preferred, filters transformed at creation
        convClip(128, 128, 16, 12);
    }

    /** Conv 3x3 pad 1 then Clip(0, 0.5), checked against the definition; returns the optimised graph. */
    private static Graph convClip(int c, int m, int h, int w) {
        Tensor x = random(1, c, h, w);
        Tensor wt = random(m, c, 3, 3);
        Node conv = Node.of("conv", "Conv", List.of("x", "w"), List.of("h"))
                .withAttribute(Attribute.of("pads", new long[] {1, 1, 1, 1}));
        Graph g = new Graph("g", List.of(conv, Node.of("clip", "Clip", List.of("h", "lo", "hi"), List.of("y"))),
                List.of(new ValueInfo("x", DType.FLOAT, null)), List.of(new ValueInfo("y", DType.FLOAT, null)),
                Map.of("w", wt, "lo", Tensor.scalar(0f), "hi", Tensor.scalar(0.5f)), List.of());
        float[] expected = new float[m * h * w];
        for (int o = 0; o < m; o++) {
            for (int r = 0; r < h; r++) {
                for (int col = 0; col < w; col++) {
                    double s = 0;
                    for (int ci = 0; ci < c; ci++) {
                        for (int kh = 0; kh < 3; kh++) {
                            for (int kw = 0; kw < 3; kw++) {
                                int ih = r + kh - 1;
                                int iw = col + kw - 1;
                                if (ih >= 0 && ih < h && iw >= 0 && iw < w) {
                                    s += (double) x.floatData()[(ci * h + ih) * w + iw]
                                            * wt.floatData()[((o * c + ci) * 3 + kh) * 3 + kw];
                                }
                            }
                        }
                    }
                    expected[(o * h + r) * w + col] = (float) Math.min(0.5, Math.max(0, s));
                }
            }
        }
        return check(g, Map.of("x", x), expected);
    }

    private static Graph check(Graph g, Map<String, Tensor> inputs, float[] expected) {
        Model model = new Model(g, Map.of("", 13), 8, "test");
        for (boolean optimise : new boolean[] {false, true}) {
            try (Session s = Session.create(model, SessionOptions.threads(2).withOptimize(optimise));
                 Session one = Session.create(model, SessionOptions.threads(1).withOptimize(optimise))) {
                float[] got = s.run(inputs).get("y").contiguous().floatData();
                assertArrayEquals(one.run(inputs).get("y").contiguous().floatData(), got, "1 vs 2 threads");
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], got[i], 1e-5 * (1 + Math.abs(expected[i])),
                            "optimise=" + optimise + " [" + i + "]");
                }
                if (optimise) {
                    return s.graph();
                }
            }
        }
        throw new AssertionError();
    }

    private static Tensor random(int... dims) {
        Shape s = Shape.of(dims);
        float[] v = new float[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (RANDOM.nextDouble() * 2 - 1);
        }
        return Tensor.wrap(DType.FLOAT, v, s);
    }
}
