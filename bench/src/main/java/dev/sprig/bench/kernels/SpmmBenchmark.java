package dev.sprig.bench.kernels;

import dev.sprig.bench.Work;
import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.gemm.Epilogue;
import dev.sprig.kernels.gemm.PackedMatrix;
import dev.sprig.kernels.gemm.Sgemm;
import dev.sprig.kernels.sparse.BlockCsrMatrix;
import dev.sprig.kernels.sparse.CsrMatrix;
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
 * A BERT-base FFN up-projection, {@code Y[batch x 3072] = X[batch x 768] * W[768 x 3072]}, with W
 * pruned to {@code sparsity}: the sparse kernels ({@link Spmm#denseTimesSparseTransposed}, W^T
 * stored) against the dense {@link Sgemm} on a B pre-packed from the same zero-filled weights, in
 * the same run. {@code csr}: unstructured (magnitude-like random) zeros; {@code block1x4}: whole
 * 1x4 blocks along the reduction zeroed. The runner reports {@code speedup_vs_dense} per result;
 * GFLOP/s are dense-equivalent (2 * batch * 768 * 3072 per call).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class SpmmBenchmark {

    static final int K = 768;
    static final int N = 3072;

    @Param({"1", "32"})
    public int batch;

    @Param({"0.5", "0.7", "0.9", "0.95"})
    public double sparsity;

    @Param({"1"})
    public int threads;

    private float[] x;
    private float[] y;
    private PackedMatrix dense;
    private CsrMatrix csr;
    private BlockCsrMatrix block;
    private ThreadPool pool;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom r = new SplittableRandom(42);
        x = SgemmBenchmark.random(r, batch * K);
        y = new float[batch * N];
        pool = ThreadPool.create(threads);
        float[] unstructured = SgemmBenchmark.random(r, K * N);
        float[] blocked = unstructured.clone();
        for (int i = 0; i < unstructured.length; i++) {
            if (r.nextDouble() < sparsity) {
                unstructured[i] = 0f;
            }
        }
        // 1x4 blocks of W^T are 4 consecutive rows p of one column j of W
        for (int p = 0; p < K; p += 4) {
            for (int j = 0; j < N; j++) {
                if (r.nextDouble() < sparsity) {
                    for (int t = p; t < p + 4; t++) {
                        blocked[t * N + j] = 0f;
                    }
                }
            }
        }
        // both dense baselines would run the same kernel: the unstructured weights stand for both
        dense = PackedMatrix.pack(false, K, N, unstructured, 0, N, pool);
        csr = CsrMatrix.fromDenseTransposed(unstructured, 0, N, K, N);
        block = BlockCsrMatrix.fromDenseTransposed(blocked, 0, N, K, N);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float[] dense() {
        Sgemm.sgemm(false, batch, 1f, x, 0, K, dense, 0f, y, 0, N, Epilogue.NONE, pool);
        return y;
    }

    @Benchmark
    public float[] csr() {
        Spmm.denseTimesSparseTransposed(x, 0, K, batch, csr, y, 0, N, Epilogue.NONE, pool);
        return y;
    }

    @Benchmark
    public float[] block1x4() {
        Spmm.denseTimesSparseTransposed(x, 0, K, batch, block, y, 0, N, Epilogue.NONE, pool);
        return y;
    }

    /** The method every other one is compared with, for the runner's {@code speedup_vs_dense}. */
    public static String baseline() {
        return "dense";
    }

    /** Format and sparsity of each result, for the runner. */
    public static Map<String, String> labels(String method, Map<String, String> params) {
        String format = switch (method) {
            case "csr" -> "csr";
            case "block1x4" -> "block1x4";
            default -> "dense";
        };
        return Map.of("format", format, "sparsity", params.get("sparsity"));
    }

    /** Work of one invocation, for the runner: the dense-equivalent flops. */
    public static Work work(String method, Map<String, String> params) {
        return Work.flops(2.0 * Integer.parseInt(params.get("batch")) * K * N);
    }
}
