package dev.sprig.core.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Attribute;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import dev.sprig.core.graph.ValueInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Recycled intermediate buffers change no result. The reference is the same session run with an
 * observer that keeps tensors, which turns recycling off (every output a fresh heap array). The
 * model is built to trip a wrong recycler: views (Reshape) of a value that is read again after
 * the view dies, a value that is both a graph output and read by later nodes, an Identity output
 * sharing storage with an intermediate, and outputs of the same length as dead intermediates, so
 * the pool serves the same arrays again and again.
 */
class BufferRecyclingTest {

    private static final NodeObserver KEEPS_TENSORS = (index, node, in, out, nanos) -> { };

    @Test
    void recycledRunsGiveBitwiseTheFreshRunsAndLeaveEarlierOutputsAlone() {
        Model model = model();
        Random r = new Random(7);
        try (Session session = Session.create(model, SessionOptions.threads(1).withOptimize(false))) {
            List<Map<String, Tensor>> kept = new ArrayList<>();
            List<Map<String, float[]>> keptCopies = new ArrayList<>();
            for (int run = 0; run < 12; run++) {
                Map<String, Tensor> in = Map.of("x", input(r));
                Map<String, float[]> expected = floats(session.run(in, KEEPS_TENSORS));
                Map<String, Tensor> got = session.run(in);
                assertEquals(expected.keySet(), got.keySet());
                for (String name : expected.keySet()) {
                    assertArrayEquals(expected.get(name), copy(got.get(name)),
                            "run " + run + " output " + name);
                }
                kept.add(got);
                keptCopies.add(floats(got));
            }
            for (int run = 0; run < kept.size(); run++) {
                for (String name : keptCopies.get(run).keySet()) {
                    assertArrayEquals(keptCopies.get(run).get(name),
                            copy(kept.get(run).get(name)),
                            "output " + name + " of run " + run + " changed by a later run");
                }
            }
            assertTrue(session.pooledBytes() > 0, "the runs left no free buffer to recycle");
        }
    }

    @Test
    void concurrentRecycledRunsGiveBitwiseTheFreshRuns() throws Exception {
        Model model = model();
        Random r = new Random(11);
        int distinct = 16;
        List<Tensor> inputs = new ArrayList<>();
        List<Map<String, float[]>> expected = new ArrayList<>();
        try (Session session = Session.create(model, SessionOptions.threads(2).withOptimize(false));
             ExecutorService callers = Executors.newFixedThreadPool(4)) {
            for (int k = 0; k < distinct; k++) {
                inputs.add(input(r));
                expected.add(floats(session.run(Map.of("x", inputs.get(k)), KEEPS_TENSORS)));
            }
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(callers.submit(() -> {
                    int mismatches = 0;
                    for (int i = 0; i < 200; i++) {
                        int k = (thread * 5 + i * (2 * thread + 1)) % distinct;
                        Map<String, float[]> got = floats(session.run(Map.of("x", inputs.get(k))));
                        for (String name : got.keySet()) {
                            mismatches += java.util.Arrays.equals(got.get(name), expected.get(k).get(name)) ? 0 : 1;
                        }
                    }
                    return mismatches;
                }));
            }
            int mismatches = 0;
            for (Future<Integer> f : done) {
                mismatches += f.get(5, TimeUnit.MINUTES);
            }
            assertEquals(0, mismatches, "outputs of concurrent recycled runs differing from fresh runs");
        }
    }

    @Test
    void closeDropsTheFreeBuffers() {
        Session session = Session.create(model(), SessionOptions.threads(1).withOptimize(false));
        session.run(Map.of("x", input(new Random(3))));
        assertTrue(session.pooledBytes() > 0);
        session.close();
        assertEquals(0, session.pooledBytes());
    }

    /**
     * x[1,4,16,16] -> Conv 8x3x3 pad 1 = a -> Relu = r (a graph output too) -> Reshape [1,8,256] = v
     * -> Transpose = t -> Transpose = t2 -> Reshape [1,8,16,16] = u -> Add(u, r) = s -> Conv = c2
     * -> Add(c2, a) = y; Identity(s) = s2 (a graph output sharing s's storage) -> Mul(s2, y) = z.
     */
    private static Model model() {
        Random r = new Random(5);
        Map<String, Tensor> init = new LinkedHashMap<>();
        init.put("w1", SmallCnn.weights(r, 0.3f, 8, 4, 3, 3));
        init.put("b1", SmallCnn.weights(r, 0.3f, 8));
        init.put("w2", SmallCnn.weights(r, 0.3f, 8, 8, 3, 3));
        init.put("flat", Tensor.of(new long[] {1, 8, 256}, 3));
        init.put("image", Tensor.of(new long[] {1, 8, 16, 16}, 4));
        Map<String, Attribute> pad = Map.of("pads", Attribute.of("pads", new long[] {1, 1, 1, 1}));
        Map<String, Attribute> swap = Map.of("perm", Attribute.of("perm", new long[] {0, 2, 1}));
        List<Node> nodes = List.of(
                new Node("conv1", "Conv", "", List.of("x", "w1", "b1"), List.of("a"), pad),
                Node.of("relu", "Relu", List.of("a"), List.of("r")),
                Node.of("view", "Reshape", List.of("r", "flat"), List.of("v")),
                new Node("t1", "Transpose", "", List.of("v"), List.of("t"), swap),
                new Node("t2", "Transpose", "", List.of("t"), List.of("t2"), swap),
                Node.of("unview", "Reshape", List.of("t2", "image"), List.of("u")),
                Node.of("add1", "Add", List.of("u", "r"), List.of("s")),
                new Node("conv2", "Conv", "", List.of("s", "w2"), List.of("c2"), pad),
                Node.of("add2", "Add", List.of("c2", "a"), List.of("y")),
                Node.of("same", "Identity", List.of("s"), List.of("s2")),
                Node.of("mul", "Mul", List.of("s2", "y"), List.of("z")));
        Graph g = new Graph("recycling", nodes,
                List.of(new ValueInfo("x", DType.FLOAT, List.of(ValueInfo.Dim.of(1), ValueInfo.Dim.of(4),
                        ValueInfo.Dim.of(16), ValueInfo.Dim.of(16)))),
                List.of(new ValueInfo("z", DType.FLOAT, null), new ValueInfo("r", DType.FLOAT, null),
                        new ValueInfo("s2", DType.FLOAT, null)), init, List.of());
        return new Model(g, Map.of("", 13), 8, "test");
    }

    private static Tensor input(Random r) {
        float[] x = new float[4 * 16 * 16];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat() - 0.5f;
        }
        return Tensor.of(x, 1, 4, 16, 16);
    }

    private static Map<String, float[]> floats(Map<String, Tensor> outputs) {
        Map<String, float[]> copies = new LinkedHashMap<>();
        outputs.forEach((name, t) -> copies.put(name, copy(t)));
        return copies;
    }

    private static float[] copy(Tensor t) {
        Tensor c = t.contiguous();
        return java.util.Arrays.copyOfRange(c.floatData(), c.offset(), c.offset() + c.size());
    }
}
