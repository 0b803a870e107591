package dev.sprig.bench.steps;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.gemm.Epilogue;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Every GEMM step against the scalar reference {@link dev.sprig.kernels.reference.Sgemm} on
 * random shapes, half of them at the steps' edges: 0, 1, the tile (MR = 4, NR = 2 vectors) and
 * vector widths +-1, and the cache blocks (MC = 128, KC = 256) +-1. Sums in another order (and
 * fused multiply-adds) round differently, so elements are compared within the classic bound
 * {@code 2 (k + 2) u sum|A[i][p] B[p][j]|}, u = 2^-24.
 */
class GemmStepsTest {

    private static final int EXAMPLES = 30;
    private static final ThreadPool TWO = ThreadPool.create(2);
    private static final ThreadPool THREE = ThreadPool.create(3);

    /** One step under test. */
    private interface Step {
        void multiply(int m, int n, int k, float[] a, float[] b, float[] c);
    }

    @AfterAll
    static void closePools() {
        TWO.close();
        THREE.close();
    }

    @Test
    void step1TripleLoopMatchesTheReference() {
        check(Step1TripleLoop::multiply);
    }

    @Test
    void step2LoopOrderMatchesTheReference() {
        check(Step2LoopOrder::multiply);
    }

    @Test
    void step3VectorRowMatchesTheReference() {
        check(Step3VectorRow::multiply);
    }

    @Test
    void step4RegisterTileMatchesTheReference() {
        check(Step4RegisterTile::multiply);
    }

    @Test
    void step5PackedMatchesTheReference() {
        check(Step5Packed::multiply);
    }

    @Test
    void step6CacheBlockedMatchesTheReference() {
        check(Step6CacheBlocked::multiply);
    }

    @Test
    void step7ThreadedMatchesTheReference() {
        check((m, n, k, a, b, c) -> Step7Threaded.multiply(m, n, k, a, b, c, THREE));
    }

    @Test
    void step7GivesStep6sResultBitForBitOnAnyThreadCount() {
        qt().withExamples(EXAMPLES).forAll(dims(), dims(), dims(), Generate.longRange(0, Long.MAX_VALUE / 2))
                .checkAssert((m, n, k, seed) -> {
                    float[] a = uniform(seed, m * k);
                    float[] b = uniform(seed + 1, k * n);
                    float[] serial = new float[m * n];
                    Step6CacheBlocked.multiply(m, n, k, a, b, serial);
                    for (ThreadPool pool : List.of(ThreadPool.SERIAL, TWO, THREE)) {
                        float[] c = new float[m * n];
                        Step7Threaded.multiply(m, n, k, a, b, c, pool);
                        assertArrayEquals(serial, c, m + "x" + n + "x" + k + " seed=" + seed + " on "
                                + pool.threads() + " threads");
                    }
                });
    }

    @Test
    void blockedStepsMatchTheReferencePastEveryBlock() {
        // n past NC and k past two KC blocks: too large for the random shapes, cheap with few rows
        int[][] shapes = {{5, Step6CacheBlocked.NC + Step5Packed.NR + 1, Step6CacheBlocked.KC + 1},
                {Step6CacheBlocked.MC + 1, 17, 2 * Step6CacheBlocked.KC + 1}};
        for (Step step : List.<Step>of(Step5Packed::multiply, Step6CacheBlocked::multiply,
                (m, n, k, a, b, c) -> Step7Threaded.multiply(m, n, k, a, b, c, TWO))) {
            for (int[] s : shapes) {
                compare(step, s[0], s[1], s[2], 7);
            }
        }
    }

    @Test
    void operandsTooSmallForTheShapeAreRejectedByName() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Step5Packed.multiply(3, 4, 5, new float[15], new float[19], new float[12]));
        assertTrue(e.getMessage().contains("B must hold at least 20 floats, got 19"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Step1TripleLoop.multiply(2, -1, 5, new float[10], new float[0], new float[0]));
        assertTrue(e.getMessage().contains("n=-1"), e.getMessage());
    }

    private static void check(Step step) {
        qt().withExamples(EXAMPLES).forAll(dims(), dims(), dims(), Generate.longRange(0, Long.MAX_VALUE / 2))
                .checkAssert((m, n, k, seed) -> compare(step, m, n, k, seed));
    }

    private static void compare(Step step, int m, int n, int k, long seed) {
        float[] a = uniform(seed, m * k);
        float[] b = uniform(seed + 1, k * n);
        float[] expected = new float[m * n];
        dev.sprig.kernels.reference.Sgemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f,
                expected, 0, n, Epilogue.NONE);
        // C starts as garbage: every step must overwrite it, not add to it
        float[] c = uniform(seed + 2, m * n);
        step.multiply(m, n, k, a, b, c);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sumAbs = 0;
                for (int p = 0; p < k; p++) {
                    sumAbs += Math.abs((double) a[i * k + p] * b[p * n + j]);
                }
                double bound = 2.0 * (k + 2) * Math.ulp(1f) / 2 * sumAbs;
                double d = Math.abs((double) expected[i * n + j] - c[i * n + j]);
                if (!(d <= bound)) {
                    throw new AssertionError(m + "x" + n + "x" + k + " seed=" + seed + " C[" + i + "]["
                            + j + "]: expected " + expected[i * n + j] + " but was " + c[i * n + j]
                            + " (|d| = " + d + " > " + bound + ")");
                }
            }
        }
    }

    /** Half the time an edge of the tiles, vectors or cache blocks, half the time uniform in [0, 300]. */
    private static Gen<Integer> dims() {
        TreeSet<Integer> edges = new TreeSet<>(List.of(0, 1, 2, 3));
        for (int block : new int[]{Step5Packed.MR, Step5Packed.NR / 2, Step5Packed.NR, 8, 16,
                Step6CacheBlocked.MC, Step6CacheBlocked.KC}) {
            for (int d = -1; d <= 1; d++) {
                edges.add(block + d);
            }
        }
        return Generate.pick(new ArrayList<>(edges)).mix(Generate.range(0, 300), 50);
    }

    private static float[] uniform(long seed, int size) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }
}
