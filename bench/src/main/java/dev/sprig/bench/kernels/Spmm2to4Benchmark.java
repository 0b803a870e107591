package dev.sprig.bench.kernels;

import dev.sprig.bench.Work;
import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.gemm.Epilogue;
import dev.sprig.kernels.gemm.PackedMatrix;
import dev.sprig.kernels.gemm.Sgemm;
import dev.sprig.kernels.sparse.Compressed2to4Matrix;
import dev.sprig.kernels.sparse.Spmm;
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
 * The layer of {@link SpmmBenchmark} ({@code X[batch x 768] * W[768 x 3072]}) pruned 2:4 along
 * the reduction (50%): the compressed 2:4 kernel against the dense pre-packed {@link Sgemm} on the
 * same zero-filled weights, in the same run ({@code speedup_vs_dense} in the runner's results).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class Spmm2to4Benchmark {

    @Param({"1", "32"})
    public int batch;

    @Param({"1"})
    public int threads;

    private float[] x;
    private float[] y;
    private PackedMatrix dense;
    private Compressed2to4Matrix twoFour;
    private ThreadPool pool;

    @Setup(Level.Trial)
    public void setUp() {
        int k = SpmmBenchmark.K;
        int n = SpmmBenchmark.N;
        SplittableRandom r = new SplittableRandom(42);
        x = SgemmBenchmark.random(r, batch * k);
        y = new float[batch * n];
        pool = ThreadPool.create(threads);
        float[] w = SgemmBenchmark.random(r, k * n);
        // in every column j, each group of 4 rows p keeps the 2 largest magnitudes (magnitude 2:4)
        for (int j = 0; j < n; j++) {
            for (int p = 0; p < k; p += 4) {
                int a = p;
                int b = p + 1;
                for (int t = p; t < p + 4; t++) {
                    float v = Math.abs(w[t * n + j]);
                    if (v > Math.abs(w[a * n + j])) {
                        b = a;
                        a = t;
                    } else if (t != a && (b == a || v > Math.abs(w[b * n + j]))) {
                        b = t;
                    }
                }
                for (int t = p; t < p + 4; t++) {
                    if (t != a && t != b) {
                        w[t * n + j] = 0f;
                    }
                }
            }
        }
        dense = PackedMatrix.pack(false, k, n, w, 0, n, pool);
        twoFour = Compressed2to4Matrix.fromDenseTransposed(w, 0, n, k, n);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float[] dense() {
        Sgemm.sgemm(false, batch, 1f, x, 0, SpmmBenchmark.K, dense, 0f, y, 0, SpmmBenchmark.N, Epilogue.NONE, pool);
        return y;
    }

    @Benchmark
    public float[] twoFour() {
        Spmm.denseTimesSparseTransposed(x, 0, SpmmBenchmark.K, batch, twoFour, y, 0, SpmmBenchmark.N,
                Epilogue.NONE, pool);
        return y;
    }

    /** The method every other one is compared with, for the runner's {@code speedup_vs_dense}. */
    public static String baseline() {
        return "dense";
    }

    /** Format and sparsity of each result, for the runner. */
    public static Map<String, String> labels(String method, Map<String, String> params) {
        return Map.of("format", method.equals("twoFour") ? "2:4" : "dense", "sparsity", "0.5");
    }

    /** Work of one invocation, for the runner: the dense-equivalent flops. */
    public static Work work(String method, Map<String, String> params) {
        return Work.flops(2.0 * Integer.parseInt(params.get("batch")) * SpmmBenchmark.K * SpmmBenchmark.N);
    }
}
