package dev.sprig.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Model;
import dev.sprig.core.session.Session;
import dev.sprig.core.session.SessionOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * mnist-8 shared by 8 threads, each running different images: every output bitwise equal to the
 * single-threaded session's. 8 x 500 runs; {@code -Dsprig.reliability.long=true} runs 8 x 10,000.
 */
class MnistConcurrencyTest {

    private static final int RUNS_PER_THREAD = Boolean.getBoolean("sprig.reliability.long") ? 10_000 : 500;

    @Test
    void eightThreadsOnOneSessionMatchSingleThreadedRunsBitwise() throws Exception {
        Path file = TestData.root().resolve("models/mnist-8/model.onnx");
        Assumptions.assumeTrue(Files.isRegularFile(file), () -> TestData.skipReason("mnist-8"));
        Model model = OnnxModelLoader.load(file);
        String input = model.graph().inputs().get(0).name();
        String output = model.graph().outputs().get(0).name();
        Random r = new Random(9);
        int distinct = 50;
        Tensor[] images = new Tensor[distinct];
        float[][] expected = new float[distinct][];
        try (Session serial = Session.create(model, SessionOptions.threads(1))) {
            for (int k = 0; k < distinct; k++) {
                float[] px = new float[28 * 28];
                for (int i = 0; i < px.length; i++) {
                    px[i] = r.nextInt(4) == 0 ? r.nextFloat() * 255 : 0;
                }
                images[k] = Tensor.of(px, 1, 1, 28, 28);
                expected[k] = values(serial.run(Map.of(input, images[k])).get(output));
            }
        }
        AtomicInteger mismatches = new AtomicInteger();
        try (Session shared = Session.create(model, SessionOptions.threads(2));
             ExecutorService callers = Executors.newFixedThreadPool(8)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(callers.submit(() -> {
                    for (int i = 0; i < RUNS_PER_THREAD; i++) {
                        int k = (thread * 13 + i * (thread + 1)) % distinct;
                        float[] got = values(shared.run(Map.of(input, images[k])).get(output));
                        // Arrays.equals on float[] compares bit patterns (floatToIntBits)
                        if (!Arrays.equals(got, expected[k])) {
                            mismatches.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(10, TimeUnit.MINUTES);
            }
        }
        System.out.println("mnist-8: 8 threads x " + RUNS_PER_THREAD + " runs, " + mismatches.get() + " mismatches");
        assertEquals(0, mismatches.get());
    }

    private static float[] values(Tensor t) {
        Tensor c = t.contiguous();
        return Arrays.copyOfRange(c.floatData(), c.offset(), c.offset() + c.size());
    }
}
