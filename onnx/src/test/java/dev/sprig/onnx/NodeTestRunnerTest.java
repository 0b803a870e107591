package dev.sprig.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.ops.Operator;
import dev.sprig.core.ops.OperatorRegistry;
import dev.sprig.core.ops.UnsupportedOperatorException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The node-test harness end to end on real ONNX test folders, with a tiny registry of operators
 * written here (FLOAT-only Abs and same-shape Add), so that passing, failing, unsupported and
 * timed-out tests are all exercised while the standard registry is still being filled.
 */
class NodeTestRunnerTest {

    private static final Duration LIMIT = Duration.ofSeconds(10);

    private static Path nodeTest(String name) {
        String root = System.getProperty("sprig.testdata", "");
        Path dir = root.isEmpty() ? null : Path.of(root, "onnx-node", name);
        if (dir == null || !Files.isRegularFile(dir.resolve("model.onnx"))) {
            String reason = "skipped: node test " + name + " not found (sprig.testdata=" + root + ")";
            System.out.println(reason);
            Assumptions.abort(reason);
        }
        return dir;
    }

    /** |x| of a FLOAT tensor. */
    private static final Operator ABS = (in, ctx) -> {
        Tensor x = in[0].contiguous();
        if (x.dtype() != DType.FLOAT) {
            throw new IllegalArgumentException("test Abs takes FLOAT, got " + x.dtype());
        }
        float[] out = new float[x.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.abs(x.floatData()[x.offset() + i]);
        }
        return new Tensor[]{Tensor.wrap(DType.FLOAT, out, x.shape())};
    };

    /** a + b of two FLOAT tensors of one shape. */
    private static final Operator ADD = (in, ctx) -> {
        Tensor a = in[0].contiguous();
        Tensor b = in[1].contiguous();
        if (a.dtype() != DType.FLOAT || b.dtype() != DType.FLOAT || !a.shape().equals(b.shape())) {
            throw new IllegalArgumentException("test Add takes two FLOAT tensors of one shape, got "
                    + a.dtype() + a.shape() + " and " + b.dtype() + b.shape());
        }
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.floatData()[a.offset() + i] + b.floatData()[b.offset() + i];
        }
        return new Tensor[]{Tensor.wrap(DType.FLOAT, out, a.shape())};
    };

    private static OperatorRegistry absAndAdd() {
        return new OperatorRegistry()
                .register("Abs", 1, (node, opset) -> ABS)
                .register("Add", 7, (node, opset) -> ADD);
    }

    @Test
    void correctOperatorsPass() {
        NodeTestRunner runner = new NodeTestRunner(absAndAdd(), LIMIT);
        assertEquals(NodeTestResult.passed("test_abs"), runner.run(nodeTest("test_abs")));
        assertEquals(NodeTestResult.passed("test_add"), runner.run(nodeTest("test_add")));
    }

    @Test
    void operatorThatRejectsItsInputFailsWithTheRunError() {
        NodeTestResult r = new NodeTestRunner(absAndAdd(), LIMIT).run(nodeTest("test_add_uint8"));
        assertEquals(NodeTestResult.Outcome.FAILED, r.outcome());
        assertTrue(r.reason().contains("test_data_set_0") && r.reason().contains("run:")
                && r.reason().contains("test Add takes two FLOAT tensors"), r.reason());
    }

    @Test
    void wrongResultFailsNamingTheFirstMismatchingIndex() {
        Path dir = nodeTest("test_abs");
        OperatorRegistry identity = new OperatorRegistry().register("Abs", 1, (node, opset) -> (in, ctx) -> in);
        NodeTestResult r = new NodeTestRunner(identity, LIMIT).run(dir);
        assertEquals(NodeTestResult.Outcome.FAILED, r.outcome());
        // identity differs from |x| first where x is negative
        float[] x = TensorProtos.readTensorFile(dir.resolve("test_data_set_0/input_0.pb")).floatData();
        int first = 0;
        while (x[first] >= 0) {
            first++;
        }
        String expected = "index " + first + " of " + x.length + " FLOAT[3x4x5]: expected " + Math.abs(x[first])
                + ", got " + x[first];
        assertTrue(r.reason().contains(expected), r.reason() + " should contain " + expected);
    }

    @Test
    void missingOrTooNewOperatorsAreUnsupported() {
        Path dir = nodeTest("test_abs");
        assertEquals(NodeTestResult.unsupported("test_abs", "op Abs"),
                new NodeTestRunner(new OperatorRegistry(), LIMIT).run(dir));
        // test_abs imports opset 13: an Abs registered only from opset 14 does not cover it
        OperatorRegistry late = new OperatorRegistry().register("Abs", 14, (node, opset) -> ABS);
        assertEquals(NodeTestResult.unsupported("test_abs", "op Abs"), new NodeTestRunner(late, LIMIT).run(dir));
        // a factory that refuses the node at session creation also makes it unsupported
        OperatorRegistry refusing = new OperatorRegistry().register("Abs", 1, (node, opset) -> {
            throw new UnsupportedOperatorException(node.describe() + ": refused");
        });
        NodeTestResult r = new NodeTestRunner(refusing, LIMIT).run(dir);
        assertEquals(NodeTestResult.Outcome.UNSUPPORTED, r.outcome());
        assertTrue(r.reason().contains("refused"), r.reason());
    }

    @Test
    void unsupportedDtypesAndContainerTypesAreUnsupported() {
        OperatorRegistry any = new OperatorRegistry()
                .register("Cast", 1, (node, opset) -> ABS)
                .register("SequenceInsert", 1, (node, opset) -> ABS);
        NodeTestRunner runner = new NodeTestRunner(any, LIMIT);
        assertEquals(NodeTestResult.unsupported("test_cast_FLOAT_to_DOUBLE", "dtype DOUBLE"),
                runner.run(nodeTest("test_cast_FLOAT_to_DOUBLE")));
        assertEquals(NodeTestResult.unsupported("test_sequence_insert_at_back", "type sequence"),
                runner.run(nodeTest("test_sequence_insert_at_back")));
    }

    @Test
    void slowTestTimesOut() {
        OperatorRegistry slow = new OperatorRegistry().register("Abs", 1, (node, opset) -> (in, ctx) -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ABS.run(in, ctx);
        });
        long start = System.nanoTime();
        NodeTestResult r = new NodeTestRunner(slow, Duration.ofMillis(300)).run(nodeTest("test_abs"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(NodeTestResult.Outcome.FAILED, r.outcome());
        assertTrue(r.reason().startsWith("timeout"), r.reason());
        assertTrue(millis < 10_000, "the runner waited " + millis + " ms");
    }
}
