package dev.sprig.core.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import dev.sprig.core.graph.ValueInfo;
import dev.sprig.core.graph.ValueInfo.Dim;
import dev.sprig.core.ops.OperatorRegistry;
import dev.sprig.core.ops.UnsupportedOperatorException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Session wiring (value numbering, input checks, errors, concurrency) on two tiny test operators. */
class SessionTest {

    /** Neg and a same-shape Add, written here so the test needs no operator family. */
    private static OperatorRegistry testOps() {
        return new OperatorRegistry()
                .register("Neg", 1, (node, opset) -> (in, ctx) -> {
                    float[] x = in[0].contiguous().floatData();
                    float[] y = new float[x.length];
                    for (int i = 0; i < x.length; i++) {
                        y[i] = -x[i];
                    }
                    return new Tensor[] {Tensor.wrap(DType.FLOAT, y, in[0].shape())};
                })
                .register("Add", 7, (node, opset) -> (in, ctx) -> {
                    if (!in[0].shape().equals(in[1].shape())) {
                        throw new IllegalArgumentException("shapes differ: " + in[0].shape() + " vs " + in[1].shape());
                    }
                    float[] a = in[0].contiguous().floatData();
                    float[] b = in[1].contiguous().floatData();
                    float[] y = new float[a.length];
                    for (int i = 0; i < a.length; i++) {
                        y[i] = a[i] + b[i];
                    }
                    return new Tensor[] {Tensor.wrap(DType.FLOAT, y, in[0].shape())};
                });
    }

    private static ValueInfo input(String name, Dim... dims) {
        return new ValueInfo(name, DType.FLOAT, List.of(dims));
    }

    /** y = -(x + c) + x, z = -x: an initializer, a value read twice, two outputs. */
    private static Model model() {
        Graph g = new Graph("g",
                List.of(Node.of("add", "Add", List.of("x", "c"), List.of("s")),
                        Node.of("neg1", "Neg", List.of("s"), List.of("n")),
                        Node.of("add2", "Add", List.of("n", "x"), List.of("y")),
                        Node.of("neg2", "Neg", List.of("x"), List.of("z"))),
                List.of(input("x", Dim.symbolic("batch"), Dim.of(2))),
                List.of(new ValueInfo("y", DType.FLOAT, null), new ValueInfo("z", DType.FLOAT, null)),
                Map.of("c", Tensor.of(new float[] {10, 20}, 1, 2)), List.of());
        return new Model(g, Map.of("", 13), 8, "test");
    }

    @Test
    void runsTheGraphAndReturnsOutputsInOrder() {
        try (Session s = Session.create(model(), SessionOptions.threads(1), testOps())) {
            Map<String, Tensor> out = s.run(Map.of("x", Tensor.of(new float[] {1, 2}, 1, 2)));
            assertEquals(List.of("y", "z"), new ArrayList<>(out.keySet()));
            // -(1 + 10) + 1, -(2 + 20) + 2
            assertArrayEquals(new float[] {-10, -20}, out.get("y").floatData());
            assertArrayEquals(new float[] {-1, -2}, out.get("z").floatData());
        }
    }

    @Test
    void rejectsMissingUnknownMistypedAndMisshapedInputs() {
        try (Session s = Session.create(model(), SessionOptions.threads(1), testOps())) {
            String missing = assertThrows(IllegalArgumentException.class, () -> s.run(Map.of())).getMessage();
            assertTrue(missing.contains("'x' is missing"), missing);
            String unknown = assertThrows(IllegalArgumentException.class, () -> s.run(Map.of(
                    "x", Tensor.of(new float[2], 1, 2), "w", Tensor.of(new float[1], 1)))).getMessage();
            assertTrue(unknown.contains("unknown input(s) [w]"), unknown);
            String dtype = assertThrows(IllegalArgumentException.class,
                    () -> s.run(Map.of("x", Tensor.of(new long[2], 1, 2)))).getMessage();
            assertTrue(dtype.contains("must be FLOAT, got INT64"), dtype);
            String rank = assertThrows(IllegalArgumentException.class,
                    () -> s.run(Map.of("x", Tensor.of(new float[2], 2)))).getMessage();
            assertTrue(rank.contains("must have rank 2"), rank);
            String dim = assertThrows(IllegalArgumentException.class,
                    () -> s.run(Map.of("x", Tensor.of(new float[3], 1, 3)))).getMessage();
            assertTrue(dim.contains("dimension 1 must be 2"), dim);
        }
    }

    @Test
    void aNodeFailureNamesTheNodeAndItsInputs() {
        try (Session s = Session.create(model(), SessionOptions.threads(1), testOps())) {
            // batch 2 passes the declaration but the test Add does not broadcast c [1,2]
            String msg = assertThrows(IllegalArgumentException.class,
                    () -> s.run(Map.of("x", Tensor.of(new float[4], 2, 2)))).getMessage();
            assertTrue(msg.contains("Add node 'add'") && msg.contains("FLOAT[2x2]") && msg.contains("shapes differ"),
                    msg);
        }
    }

    @Test
    void unsupportedOperatorsAndBrokenWiringFailAtCreation() {
        Graph g = model().graph();
        Graph unknownOp = g.withNodes(List.of(new Node("mystery", "Frobnicate", "com.example", List.of("x"),
                List.of("y"), Map.of())));
        Model m = new Model(unknownOp, Map.of("", 13, "com.example", 3), 8, "");
        String msg = assertThrows(UnsupportedOperatorException.class,
                () -> Session.create(m, SessionOptions.threads(1), testOps())).getMessage();
        assertTrue(msg.contains("Frobnicate") && msg.contains("com.example") && msg.contains("opset 3")
                && msg.contains("'mystery'"), msg);

        Model oldOpset = new Model(g, Map.of("", 6), 8, "");
        String old = assertThrows(UnsupportedOperatorException.class,
                () -> Session.create(oldOpset, SessionOptions.threads(1), testOps())).getMessage();
        assertTrue(old.contains("at opset 6") && old.contains("from opset 7"), old);

        List<Node> reversed = new ArrayList<>(g.nodes());
        java.util.Collections.reverse(reversed);
        Model unsorted = new Model(g.withNodes(reversed), Map.of("", 13), 8, "");
        String order = assertThrows(ModelException.class,
                () -> Session.create(unsorted, SessionOptions.threads(1), testOps())).getMessage();
        assertTrue(order.contains("topological order"), order);
    }

    @Test
    void concurrentRunsGiveTheSameResults() throws Exception {
        try (Session s = Session.create(model(), SessionOptions.threads(2), testOps());
             ExecutorService ex = Executors.newFixedThreadPool(4)) {
            List<Future<float[]>> results = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                float v = t;
                results.add(ex.submit(() -> s.run(Map.of("x", Tensor.of(new float[] {v, 2 * v}, 1, 2)))
                        .get("y").floatData()));
            }
            for (int t = 0; t < 32; t++) {
                assertArrayEquals(new float[] {-10, -20}, results.get(t).get(), "run " + t);
            }
        }
    }

    @Test
    void closeIsIdempotentAndRunAfterCloseFails() {
        Session s = Session.create(model(), SessionOptions.threads(2), testOps());
        s.close();
        s.close();
        assertThrows(IllegalStateException.class, () -> s.run(Map.of("x", Tensor.of(new float[2], 1, 2))));
    }
}
