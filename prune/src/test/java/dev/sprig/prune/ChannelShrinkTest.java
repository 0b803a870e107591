package dev.sprig.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Attribute;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.session.Session;
import dev.sprig.core.session.SessionOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChannelShrinkTest {

    private static float[] run(Model m, Tensor x) {
        try (Session s = Session.create(m, new SessionOptions(1, false))) {
            return Floats.of(s.run(Map.of("X", x)).get("Y"));
        }
    }

    private static WeightLayer layerAt(Graph g, String name) {
        return WeightLayer.find(g, new ArrayList<>()).stream().filter(l -> l.node().name().equals(name))
                .findFirst().orElseThrow();
    }

    /** Zeroes, in {@code t}, the runs of {@code block} along {@code axis} of the given channels. */
    private static Tensor zeroChannels(Tensor t, int axis, int block, int... channels) {
        int[] d = t.shape().dims();
        float[] v = Floats.of(t);
        int outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= d[i];
        }
        int inner = 1;
        for (int i = axis + 1; i < d.length; i++) {
            inner *= d[i];
        }
        for (int o = 0; o < outer; o++) {
            for (int c : channels) {
                for (int k = 0; k < block * inner; k++) {
                    v[(o * d[axis] + c * block) * inner + k] = 0;
                }
            }
        }
        return Tensor.of(v, d);
    }

    @Test
    void shrunkModelEqualsTheOriginalWithThoseChannelsCutOffAtTheConsumers() {
        Model original = TestModels.cnn(1);
        Tensor x = TestModels.random(new Random(2), 1, 3, 6, 6);
        Map<String, int[]> removed = new LinkedHashMap<>();
        removed.put("conv1", new int[]{1, 4});
        removed.put("conv2", new int[]{0, 3});
        removed.put("fc", new int[]{2});
        removed.put("gemm1", new int[]{0, 5, 6});
        Graph g = original.graph();
        for (Map.Entry<String, int[]> e : removed.entrySet()) {
            ChannelShrink.Plan plan = ChannelShrink.plan(g, layerAt(g, e.getKey()),
                    ValueShapes.observe(new Model(g, original.opsets(), 8, ""), Map.of("X", x)));
            assertTrue(plan.possible(), e.getKey() + ": " + plan.refusal());
            g = plan.apply(g, e.getValue());
        }
        Model shrunk = new Model(g, original.opsets(), 8, "");
        assertArrayEquals(new int[]{4, 3, 3, 3}, g.initializers().get("W1").shape().dims());
        assertArrayEquals(new int[]{3, 4, 3, 3}, g.initializers().get("W2").shape().dims());
        assertArrayEquals(new int[]{27, 3}, g.initializers().get("W3").shape().dims());
        assertArrayEquals(new int[]{3, 4}, g.initializers().get("G1").shape().dims());
        assertArrayEquals(new int[]{3, 4}, g.initializers().get("G2").shape().dims());
        assertArrayEquals(new long[]{1, 27}, g.initializers().get("shape").longData());

        // reference: the original with the consumers' inputs from the removed channels set to zero
        Map<String, Tensor> w = new LinkedHashMap<>(original.graph().initializers());
        w.put("W2", zeroChannels(w.get("W2"), 1, 1, 1, 4));
        w.put("W3", zeroChannels(w.get("W3"), 0, 9, 0, 3));
        w.put("G1", zeroChannels(w.get("G1"), 0, 1, 2));
        w.put("G2", zeroChannels(w.get("G2"), 1, 1, 0, 5, 6));
        Model zeroed = new Model(original.graph().with(original.graph().nodes(), w), original.opsets(), 8, "");
        float[] expected = run(zeroed, x);
        float[] got = run(shrunk, x);
        assertEquals(expected.length, got.length);
        for (int i = 0; i < got.length; i++) {
            assertEquals(expected[i], got[i], 1e-4 * (1 + Math.abs(expected[i])), "output " + i);
        }
        // and the cut is not a no-op: the dense model differs
        float[] dense = run(original, x);
        double diff = 0;
        for (int i = 0; i < dense.length; i++) {
            diff += Math.abs(dense[i] - got[i]);
        }
        assertTrue(diff > 1e-3, "pruning changed nothing");
    }

    @Test
    void aDepthwiseLayerAndTheLayerFeedingItKeepTheirChannels() {
        // MobileNetV2's pattern: a depthwise Conv's output channels are its input channels
        Random rnd = new Random(4);
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("W1", TestModels.random(rnd, 4, 2, 1, 1));
        w.put("WD", TestModels.random(rnd, 4, 1, 3, 3));
        w.put("W2", TestModels.random(rnd, 3, 4, 1, 1));
        Graph g = new Graph("dw", List.of(
                TestModels.node("conv1", "Conv", List.of("X", "W1"), "a"),
                TestModels.node("dw", "Conv", List.of("a", "WD"), "d", Attribute.of("group", 4L),
                        Attribute.of("pads", new long[] {1, 1, 1, 1})),
                TestModels.node("relu", "Relu", List.of("d"), "r"),
                TestModels.node("conv2", "Conv", List.of("r", "W2"), "Y")),
                List.of(TestModels.input("X", 1, 2, 5, 5)), List.of(TestModels.input("Y", 1, 3, 5, 5)), w, List.of());
        Model m = new Model(g, Map.of("", 13), 8, "test");
        Tensor x = TestModels.random(new Random(2), 1, 2, 5, 5);
        Map<String, int[]> shapes = ValueShapes.observe(m, Map.of("X", x));
        ChannelShrink.Plan dw = ChannelShrink.plan(g, layerAt(g, "dw"), shapes);
        assertFalse(dw.possible());
        assertTrue(dw.refusal().contains("grouped"), dw.refusal());
        ChannelShrink.Plan conv1 = ChannelShrink.plan(g, layerAt(g, "conv1"), shapes);
        assertFalse(conv1.possible());
        assertTrue(conv1.refusal().contains("grouped"), conv1.refusal());
        // and the pruner as a whole leaves a model that still runs and computes the same
        Model pruned = Pruner.prune(m, PruneConfig.of(PruneMethod.CHANNELS, 0.5), List.of(Map.of("X", x)));
        assertArrayEquals(run(m, x), run(pruned, x));
    }

    @Test
    void residualAndGraphOutputChannelsAreRefusedWithAReason() {
        Model m = TestModels.residual(3);
        Graph g = m.graph();
        Map<String, int[]> shapes = ValueShapes.observe(m, Map.of("X", TestModels.random(new Random(1), 1, 2, 3, 3)));
        ChannelShrink.Plan a = ChannelShrink.plan(g, layerAt(g, "convA"), shapes);
        assertFalse(a.possible());
        assertTrue(a.refusal().contains("residual") && a.refusal().contains("res"), a.refusal());
        ChannelShrink.Plan b = ChannelShrink.plan(g, layerAt(g, "convB"), shapes);
        assertFalse(b.possible());
        ChannelShrink.Plan c = ChannelShrink.plan(g, layerAt(g, "convC"), shapes);
        assertFalse(c.possible());
        assertTrue(c.refusal().contains("graph output"), c.refusal());
    }

    @Test
    void prunerChannelsHalvesEveryShrinkableLayerAndReconstructionImprovesTheFit() {
        Model m = TestModels.cnn(4);
        Random rnd = new Random(8);
        List<Map<String, Tensor>> calib = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            calib.add(Map.of("X", TestModels.random(rnd, 1, 3, 6, 6)));
        }
        PruneConfig cfg = PruneConfig.of(PruneMethod.CHANNELS, 0.5);
        PruneResult plain = Pruner.run(m, cfg, calib, PruneProgress.NONE);
        PruneResult refit = Pruner.run(m, cfg.withReconstruct(true), calib, PruneProgress.NONE);
        assertArrayEquals(new int[]{3, 3, 3, 3}, plain.model().graph().initializers().get("W1").shape().dims());
        assertEquals(1, plain.notes().size(), plain.notes().toString()); // gemm2 feeds the graph output
        // error against the dense model on held-out inputs
        double errPlain = 0;
        double errRefit = 0;
        for (int i = 0; i < 20; i++) {
            Tensor x = TestModels.random(rnd, 1, 3, 6, 6);
            float[] d = run(m, x);
            float[] p = run(plain.model(), x);
            float[] r = run(refit.model(), x);
            for (int k = 0; k < d.length; k++) {
                errPlain += (d[k] - p[k]) * (d[k] - p[k]);
                errRefit += (d[k] - r[k]) * (d[k] - r[k]);
            }
        }
        assertTrue(errRefit < errPlain, "refit error " + errRefit + " not below plain " + errPlain);
    }
}
