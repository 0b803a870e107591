package dev.sprig.bench.kernels;

import dev.sprig.bench.Work;
import dev.sprig.kernels.KernelProvider;
import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.elementwise.ActivationKernels;
import java.util.Map;
import java.util.SplittableRandom;
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
 * The transcendental activations over a transformer activation (128 tokens x 3072, a BERT-base
 * FFN's hidden layer), in GB/s of data read and written against the stream-read bandwidth,
 * split into {@code threads} contiguous ranges.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class ActivationBenchmark {

    @Param({"393216"})
    public int floats;

    @Param({"1"})
    public int threads;

    private final ActivationKernels kernels = KernelProvider.backend().activations();
    private ThreadPool pool;
    private float[] x;
    private float[] y;

    @Setup(Level.Trial)
    public void setUp() {
        pool = ThreadPool.create(threads);
        SplittableRandom r = new SplittableRandom(3);
        x = new float[floats];
        y = new float[floats];
        for (int i = 0; i < floats; i++) {
            x[i] = (float) r.nextDouble(-6, 6);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float[] gelu() {
        int per = Math.ceilDiv(floats, threads);
        pool.parallelFor(threads, t -> kernels.gelu(x, t * per, y, t * per, Math.min(floats, (t + 1) * per) - t * per));
        return y;
    }

    @Benchmark
    public float[] geluTanh() {
        int per = Math.ceilDiv(floats, threads);
        pool.parallelFor(threads, t -> kernels.geluTanh(x, t * per, y, t * per, Math.min(floats, (t + 1) * per) - t * per));
        return y;
    }

    @Benchmark
    public float[] sigmoid() {
        int per = Math.ceilDiv(floats, threads);
        pool.parallelFor(threads, t -> kernels.sigmoid(x, t * per, y, t * per, Math.min(floats, (t + 1) * per) - t * per));
        return y;
    }

    @Benchmark
    public float[] tanh() {
        int per = Math.ceilDiv(floats, threads);
        pool.parallelFor(threads, t -> kernels.tanh(x, t * per, y, t * per, Math.min(floats, (t + 1) * per) - t * per));
        return y;
    }

    /** Bytes read and written by one invocation. */
    public static Work work(String method, Map<String, String> params) {
        return Work.bytes(8.0 * Integer.parseInt(params.get("floats")));
    }
}
