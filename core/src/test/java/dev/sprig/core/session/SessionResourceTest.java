package dev.sprig.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import dev.sprig.core.graph.ValueInfo;
import dev.sprig.core.ops.OperatorRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Resource hygiene: worker threads end after {@link Session#close()} (no leak over 1,000 sessions),
 * the heap does not grow over many runs, a run's intermediates are bounded by
 * {@link SessionOptions#maxArenaBytes()}, and a node whose result does not fit in the heap fails its
 * run with IllegalArgumentException. {@code -Dsprig.reliability.long=true} runs 100,000 runs for the
 * heap check instead of 5,000.
 */
class SessionResourceTest {

    private static final boolean LONG = Boolean.getBoolean("sprig.reliability.long");

    /** Test operators: Par uses the pool (so workers start), Relu copies, View reshapes without copying, Huge cannot fit. */
    private static OperatorRegistry testOps() {
        return new OperatorRegistry()
                .register("Par", 1, (node, opset) -> (in, ctx) -> {
                    float[] x = in[0].contiguous().floatData();
                    float[] y = new float[x.length];
                    ctx.pool().parallelFor(2, 2, half -> {
                        for (int i = half; i < x.length; i += 2) {
                            y[i] = x[i] + 1;
                        }
                    });
                    return new Tensor[] {Tensor.wrap(DType.FLOAT, y, in[0].shape())};
                })
                .register("Relu", 1, (node, opset) -> (in, ctx) -> {
                    float[] x = in[0].contiguous().floatData();
                    float[] y = new float[x.length];
                    for (int i = 0; i < x.length; i++) {
                        y[i] = Math.max(x[i], 0);
                    }
                    return new Tensor[] {Tensor.wrap(DType.FLOAT, y, in[0].shape())};
                })
                .register("View", 1, (node, opset) -> (in, ctx) -> new Tensor[] {in[0].reshape(in[0].size())})
                .register("Huge", 1, (node, opset) -> (in, ctx) -> {
                    long[] big = new long[Integer.MAX_VALUE - 8];
                    return new Tensor[] {Tensor.wrap(DType.INT64, big, dev.sprig.core.Shape.of(big.length))};
                });
    }

    /** x[1000] through the given ops in a chain; the last output is y. */
    private static Model chain(String... ops) {
        List<Node> nodes = new java.util.ArrayList<>();
        String prev = "x";
        for (int i = 0; i < ops.length; i++) {
            String out = i == ops.length - 1 ? "y" : "t" + i;
            nodes.add(Node.of("n" + i, ops[i], List.of(prev), List.of(out)));
            prev = out;
        }
        Graph g = new Graph("chain", nodes, List.of(new ValueInfo("x", DType.FLOAT, List.of(ValueInfo.Dim.of(1000)))),
                List.of(new ValueInfo("y", null, null)), Map.of(), List.of());
        return new Model(g, Map.of("", 13), 8, "test");
    }

    private static long sprigThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("sprig-")).count();
    }

    @Test
    void noThreadOutlivesItsSession() throws InterruptedException {
        long before = sprigThreads();
        Model model = chain("Par");
        Tensor x = Tensor.of(new float[1000], 1000);
        long peak = 0;
        for (int i = 0; i < 1000; i++) {
            try (Session s = Session.create(model, SessionOptions.threads(2), testOps())) {
                assertEquals(1f, s.run(Map.of("x", x)).get("y").floatData()[999]);
                if (i == 0) {
                    peak = sprigThreads();
                }
            }
        }
        assertTrue(peak > before, "the test operator should have started a worker (" + peak + " vs " + before + ")");
        // shutdown lets idle workers exit on their own: give them a moment, no more
        long deadline = System.nanoTime() + 10_000_000_000L;
        long after = sprigThreads();
        while (after > before && System.nanoTime() < deadline) {
            Thread.sleep(20);
            after = sprigThreads();
        }
        System.out.println("threads named sprig-*: " + before + " before, " + after + " after 1000 sessions");
        assertEquals(before, after, "worker threads left running after their sessions closed");
    }

    @Test
    void theHeapStaysFlatOverManyRuns() throws InterruptedException {
        int runs = LONG ? 100_000 : 5_000;
        Model model = SmallCnn.model(7);
        Random r = new Random(8);
        Tensor[] inputs = {SmallCnn.input(r), SmallCnn.input(r), SmallCnn.input(r)};
        try (Session s = Session.create(model, SessionOptions.threads(1))) {
            for (int i = 0; i < 1000; i++) {
                s.run(Map.of("x", inputs[i % 3]));
            }
            long warm = usedAfterGc();
            for (int i = 0; i < runs; i++) {
                s.run(Map.of("x", inputs[i % 3]));
            }
            long end = usedAfterGc();
            System.out.printf("heap after GC: %.2f MiB after warm-up, %.2f MiB after %d more runs%n",
                    warm / 1048576.0, end / 1048576.0, runs);
            // a leak of even 100 bytes per run would show as ~0.5 MiB here (10 MiB in the long run)
            assertTrue(end - warm < (LONG ? 4 : 2) * 1048576L, "heap grew by " + (end - warm) + " bytes over "
                    + runs + " runs");
        }
    }

    @Test
    void maxArenaBytesBoundsTheIntermediatesOfARun() {
        Tensor x = Tensor.of(new float[1000], 1000);
        // n0 makes 4000 bytes; n1 another 4000 while n0's output is still read: peak 8000
        Model twoCopies = chain("Relu", "Relu");
        try (Session s = Session.create(twoCopies, SessionOptions.threads(1).withMaxArenaBytes(8000), testOps())) {
            assertEquals(1000, s.run(Map.of("x", x)).get("y").size());
        }
        try (Session s = Session.create(twoCopies, SessionOptions.threads(1).withMaxArenaBytes(7999), testOps())) {
            String msg = assertThrows(IllegalArgumentException.class, () -> s.run(Map.of("x", x))).getMessage();
            assertTrue(msg.contains("Relu node 'n1'") && msg.contains("8000 bytes")
                    && msg.contains("maxArenaBytes = 7999"), msg);
        }
        // a view shares its input's storage and is not counted again
        Model withView = chain("Relu", "View", "Relu");
        try (Session s = Session.create(withView, SessionOptions.threads(1).withMaxArenaBytes(8000), testOps())) {
            assertEquals(1000, s.run(Map.of("x", x)).get("y").size());
        }
        // nor is a view of the caller's input
        try (Session s = Session.create(chain("View"), SessionOptions.threads(1).withMaxArenaBytes(1), testOps())) {
            assertEquals(1000, s.run(Map.of("x", x)).get("y").size());
        }
    }

    @Test
    void aResultLargerThanTheHeapFailsItsRunNotTheJvm() {
        Assumptions.assumeTrue(Runtime.getRuntime().maxMemory() < 8L * (Integer.MAX_VALUE - 8),
                "the heap could hold the 16 GiB test allocation");
        try (Session s = Session.create(chain("Huge"), SessionOptions.threads(1), testOps())) {
            String msg = assertThrows(IllegalArgumentException.class,
                    () -> s.run(Map.of("x", Tensor.of(new float[1000], 1000)))).getMessage();
            assertTrue(msg.contains("Huge node 'n0'") && msg.contains("ran out of memory"), msg);
            // the session and the JVM carry on
            assertThrows(IllegalArgumentException.class, () -> s.run(Map.of("x", Tensor.of(new float[1000], 1000))));
        }
    }

    @Test
    void sessionOptionsKeepTheirTwoArgumentForm() {
        SessionOptions o = new SessionOptions(3, false);
        assertEquals(SessionOptions.defaultMaxArenaBytes(), o.maxArenaBytes());
        assertEquals(new SessionOptions(4, false, o.maxArenaBytes()), o.withThreads(4));
        assertEquals(123, o.withMaxArenaBytes(123).withOptimize(true).maxArenaBytes());
        assertThrows(IllegalArgumentException.class, () -> o.withMaxArenaBytes(0));
    }

    private static long usedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long best = Long.MAX_VALUE;
        // several collections: the smallest reading is the live set, free of collection timing
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            best = Math.min(best, memory.getHeapMemoryUsage().getUsed());
        }
        return best;
    }
}
