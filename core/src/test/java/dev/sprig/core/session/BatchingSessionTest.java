package dev.sprig.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import dev.sprig.core.graph.ValueInfo;
import dev.sprig.core.graph.ValueInfo.Dim;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Dynamic batching: under random concurrent arrivals every caller gets its own rows, equal to
 * running its request alone on the same session.
 */
class BatchingSessionTest {

    /** y = relu(x W + b) with x [batch, len] and len = 16 for the MatMul model. */
    private static Model mlp() {
        SplittableRandom r = new SplittableRandom(3);
        Graph g = new Graph("mlp", List.of(
                Node.of("mm", "MatMul", List.of("x", "w"), List.of("h")),
                Node.of("add", "Add", List.of("h", "b"), List.of("hb")),
                Node.of("relu", "Relu", List.of("hb"), List.of("y"))),
                List.of(new ValueInfo("x", DType.FLOAT, List.of(Dim.symbolic("batch"), Dim.of(16)))),
                List.of(new ValueInfo("y", DType.FLOAT, null)),
                Map.of("w", random(r, 16, 8), "b", random(r, 8)), List.of());
        return new Model(g, Map.of("", 13), 8, "test");
    }

    @Test
    void concurrentCallersGetTheirOwnRows() throws Exception {
        AtomicInteger bitwise = new AtomicInteger();
        AtomicInteger checked = new AtomicInteger();
        try (Session session = Session.create(mlp(), SessionOptions.threads(2));
             BatchingSession batching = BatchingSession.create(session, 16, Duration.ofMillis(2));
             ExecutorService clients = Executors.newFixedThreadPool(8)) {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                long seed = 100 + c;
                done.add(clients.submit(() -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    for (int i = 0; i < 60; i++) {
                        Tensor x = random(r, 1 + r.nextInt(3), 16);
                        if (r.nextInt(4) == 0) {
                            Thread.sleep(r.nextInt(3));
                        }
                        float[] got = batching.run(Map.of("x", x)).get("y").floatData();
                        float[] alone = session.run(Map.of("x", x)).get("y").floatData();
                        assertEquals(alone.length, got.length, "rows of request " + seed + "/" + i);
                        boolean same = true;
                        for (int j = 0; j < got.length; j++) {
                            assertEquals(alone[j], got[j], 1e-6f * (1 + Math.abs(alone[j])), "seed " + seed + "/" + i);
                            same &= Float.floatToRawIntBits(alone[j]) == Float.floatToRawIntBits(got[j]);
                        }
                        bitwise.addAndGet(same ? 1 : 0);
                        checked.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        System.out.printf("BatchingSession: %d/%d requests bitwise equal to their unbatched run%n", bitwise.get(),
                checked.get());
    }

    @Test
    void requestsOfDifferentShapesAreNotMixed() throws Exception {
        Graph g = new Graph("relu", List.of(Node.of("relu", "Relu", List.of("x"), List.of("y"))),
                List.of(new ValueInfo("x", DType.FLOAT, List.of(Dim.symbolic("batch"), Dim.symbolic("len")))),
                List.of(new ValueInfo("y", DType.FLOAT, null)), Map.of(), List.of());
        try (Session session = Session.create(new Model(g, Map.of("", 13), 8, ""), SessionOptions.threads(1));
             BatchingSession batching = BatchingSession.create(session, 8, Duration.ofMillis(5));
             ExecutorService clients = Executors.newFixedThreadPool(6)) {
            List<Future<float[]>> results = new ArrayList<>();
            List<Tensor> requests = new ArrayList<>();
            SplittableRandom r = new SplittableRandom(9);
            for (int i = 0; i < 24; i++) {
                Tensor x = random(r, 1, i % 2 == 0 ? 3 : 5);
                requests.add(x);
                results.add(clients.submit(() -> batching.run(Map.of("x", x)).get("y").floatData()));
            }
            for (int i = 0; i < requests.size(); i++) {
                float[] in = requests.get(i).floatData();
                float[] out = results.get(i).get();
                assertEquals(in.length, out.length);
                for (int j = 0; j < in.length; j++) {
                    assertEquals(Math.max(0f, in[j]), out[j], 0f, "request " + i);
                }
            }
        }
    }

    @Test
    void fixedBatchModelsAreRejectedAndCloseFailsNewCalls() {
        Graph g = new Graph("relu", List.of(Node.of("relu", "Relu", List.of("x"), List.of("y"))),
                List.of(new ValueInfo("x", DType.FLOAT, List.of(Dim.of(1), Dim.of(4)))),
                List.of(new ValueInfo("y", DType.FLOAT, null)), Map.of(), List.of());
        try (Session fixed = Session.create(new Model(g, Map.of("", 13), 8, ""), SessionOptions.threads(1))) {
            String msg = assertThrows(IllegalArgumentException.class,
                    () -> BatchingSession.create(fixed, 8, Duration.ofMillis(1))).getMessage();
            assertTrue(msg.contains("no free batch dimension"), msg);
        }
        try (Session session = Session.create(mlp(), SessionOptions.threads(1))) {
            BatchingSession b = BatchingSession.create(session, 4, Duration.ofMillis(1));
            b.close();
            b.close();
            assertThrows(IllegalStateException.class,
                    () -> b.run(Map.of("x", random(new SplittableRandom(1), 1, 16))));
        }
    }

    private static Tensor random(SplittableRandom r, int... dims) {
        Shape s = Shape.of(dims);
        float[] v = new float[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return Tensor.wrap(DType.FLOAT, v, s);
    }
}
