package dev.sprig.bench.kernels;

import dev.sprig.kernels.KernelBackend;
import dev.sprig.kernels.KernelProvider;
import dev.sprig.kernels.ThreadPool;
import dev.sprig.bench.Work;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Memory read bandwidth: the vectorised sum over a float array far larger than the L3 (256 MiB,
 * the size of the GEMV benchmark's weights), split over {@code threads}. The denominator of the
 * memory-bound kernels' efficiency.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
@State(Scope.Benchmark)
public class StreamReadBenchmark {

    @Param({"67108864"})
    public int floats;

    @Param({"1"})
    public int threads;

    private ThreadPool pool;
    private float[] data;
    private float[] partial;
    private final KernelBackend kernels = KernelProvider.backend();

    @Setup(Level.Trial)
    public void setUp() {
        pool = ThreadPool.create(threads);
        data = new float[floats];
        for (int i = 0; i < floats; i++) {
            data[i] = (i & 1023) * 1e-3f;
        }
        partial = new float[threads];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float read() {
        int per = Math.ceilDiv(floats, threads);
        pool.parallelFor(threads, t -> {
            int from = t * per;
            partial[t] = kernels.sum(data, from, Math.min(floats, from + per) - from);
        });
        float s = 0;
        for (float p : partial) {
            s += p;
        }
        return s;
    }

    /** Bytes read by one invocation. */
    public static double bytes(int floats) {
        return 4.0 * floats;
    }

    /** Work of one invocation, for the runner. */
    public static Work work(String method, Map<String, String> params) {
        return Work.bytes(bytes(Integer.parseInt(params.get("floats"))));
    }
}
