package dev.sprig.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * One session shared by 8 threads gives bitwise the outputs of single-threaded runs, and
 * {@link Session#close()} with runs in flight waits for them: they finish normally, later runs fail
 * with IllegalStateException. {@code -Dsprig.reliability.long=true} runs 8 x 10,000 runs instead
 * of 8 x 500.
 */
class SessionConcurrencyTest {

    private static final boolean LONG = Boolean.getBoolean("sprig.reliability.long");
    private static final int THREADS = 8;
    private static final int RUNS_PER_THREAD = LONG ? 10_000 : 500;
    private static final int DISTINCT_INPUTS = 64;

    @Test
    void eightThreadsGiveBitwiseTheSingleThreadedOutputs() throws Exception {
        Model model = SmallCnn.model(1);
        Random r = new Random(2);
        Tensor[] inputs = new Tensor[DISTINCT_INPUTS];
        int[][] expected = new int[DISTINCT_INPUTS][];
        try (Session serial = Session.create(model, SessionOptions.threads(1))) {
            for (int k = 0; k < DISTINCT_INPUTS; k++) {
                inputs[k] = SmallCnn.input(r);
            }
            // no warm-up on purpose: the expected outputs come from a cold JVM and the shared runs
            // from compiled code, so results that change when C2 compiles a kernel fail here (the
            // softmax lane sum did, until it was given a fixed order)
            for (int k = 0; k < DISTINCT_INPUTS; k++) {
                expected[k] = bits(serial.run(Map.of("x", inputs[k])).get("y"));
            }
        }
        AtomicInteger mismatches = new AtomicInteger();
        ConcurrentLinkedQueue<String> firstMismatches = new ConcurrentLinkedQueue<>();
        try (Session shared = Session.create(model, SessionOptions.threads(2));
             ExecutorService callers = Executors.newFixedThreadPool(THREADS)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(callers.submit(() -> {
                    for (int i = 0; i < RUNS_PER_THREAD; i++) {
                        // each thread walks the inputs in its own order, so concurrent runs differ
                        int k = (thread * 7 + i * (2 * thread + 1)) % DISTINCT_INPUTS;
                        int[] got = bits(shared.run(Map.of("x", inputs[k])).get("y"));
                        if (!java.util.Arrays.equals(got, expected[k]) && mismatches.incrementAndGet() <= 3) {
                            firstMismatches.add("thread " + thread + " run " + i + " input " + k);
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(10, TimeUnit.MINUTES);
            }
        }
        System.out.println("concurrency: " + THREADS + " threads x " + RUNS_PER_THREAD + " runs, " + mismatches.get()
                + " mismatches");
        assertEquals(0, mismatches.get(), "runs differing from the single-threaded output: " + firstMismatches);
    }

    @Test
    void closeWaitsForRunsInFlightAndLaterRunsFailCleanly() throws Exception {
        Model model = SmallCnn.model(3);
        Tensor x = SmallCnn.input(new Random(4));
        Session session = Session.create(model, SessionOptions.threads(2));
        int lastNode = session.graph().nodes().size() - 1;
        AtomicLong clock = new AtomicLong();
        ConcurrentLinkedQueue<Long> finishedAt = new ConcurrentLinkedQueue<>();
        // runs record the moment their last node finished, inside the run
        NodeObserver lastNodeDone = (index, node, in, out, nanos) -> {
            if (index == lastNode) {
                finishedAt.add(clock.incrementAndGet());
            }
        };
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        CountDownLatch running = new CountDownLatch(THREADS * 20);
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread caller = new Thread(() -> {
                while (true) {
                    try {
                        session.run(Map.of("x", x), lastNodeDone);
                        completed.incrementAndGet();
                        running.countDown();
                    } catch (IllegalStateException e) {
                        if (!e.getMessage().contains("session is closed")) {
                            unexpected.add(e);
                        }
                        refused.incrementAndGet();
                        return;
                    } catch (Throwable e) {
                        unexpected.add(e);
                        return;
                    }
                }
            }, "caller-" + t);
            callers.add(caller);
            caller.start();
        }
        assertTrue(running.await(2, TimeUnit.MINUTES), "runs did not start");
        session.close();
        long closedAt = clock.incrementAndGet();
        for (Thread caller : callers) {
            caller.join(TimeUnit.MINUTES.toMillis(1));
        }
        assertEquals(List.of(), List.copyOf(unexpected));
        assertEquals(THREADS, refused.get(), "every caller ends on the closed session");
        assertEquals(completed.get(), finishedAt.size());
        for (long t : finishedAt) {
            assertTrue(t < closedAt, "a run finished after close() returned: close did not wait for it");
        }
        assertThrows(IllegalStateException.class, () -> session.run(Map.of("x", x)));
    }

    @Test
    void closeFromInsideARunIsRefusedAndTheSessionStaysUsable() {
        Model model = SmallCnn.model(5);
        Tensor x = SmallCnn.input(new Random(6));
        try (Session session = Session.create(model, SessionOptions.threads(1))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> session.run(Map.of("x", x), (index, node, in, out, nanos) -> session.close()));
            assertTrue(e.getMessage().contains("inside a run"), e.getMessage());
            assertEquals(10, session.run(Map.of("x", x)).get("y").size());
        }
    }

    private static int[] bits(Tensor t) {
        Tensor c = t.contiguous();
        float[] v = c.floatData();
        int[] b = new int[c.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = Float.floatToRawIntBits(v[c.offset() + i]);
        }
        return b;
    }
}
