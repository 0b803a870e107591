package dev.sprig.kernels.gemm;

import static org.quicktheories.QuickTheory.qt;

import dev.sprig.kernels.KernelProvider;
import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.testing.EdgeSizes;
import dev.sprig.kernels.testing.FloatData;
import dev.sprig.kernels.testing.Tolerance;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The GEMM tester: {@link Sgemm} against the triple loop {@link dev.sprig.kernels.reference.Sgemm}
 * over random shapes around every block edge (mr, nr, KC, MC +-1), all transpose combinations,
 * offsets and padded leading dimensions, alpha/beta including 0 and 1, bias and activations,
 * packed and unpacked B, and thread counts 1, 2 and 3 (which must agree bitwise). Failures print
 * M x N x K, the tile, the seed and the element.
 *
 * <p>Sizes are capped by {@code -Dsprig.test.maxDim} (default 300) and the case count by
 * {@code -Dsprig.test.examples} (default 150 per property): the 512-bit run keeps both small
 * because a species wider than the hardware's is not compiled to SIMD.
 */
class SgemmPropertyTest {

    /** Every tile shape this backend has: the provider picks one per machine, the tester runs all. */
    private static final java.util.List<SgemmMicrokernel> KERNELS = KernelProvider.backend().name().equals("vector")
            ? java.util.List.of(new SgemmMicrokernel6x2v(), new SgemmMicrokernel2x4v())
            : java.util.List.of(KernelProvider.backend().sgemm());
    private static final int MAX = Integer.getInteger("sprig.test.maxDim", 300);
    private static final int EXAMPLES = Integer.getInteger("sprig.test.examples", 150);
    private static final ThreadPool TWO = ThreadPool.create(2);
    private static final ThreadPool THREE = ThreadPool.create(3);

    @AfterAll
    static void closePools() {
        TWO.close();
        THREE.close();
    }

    private static Gen<Integer> dims() {
        java.util.List<Integer> blocks = new java.util.ArrayList<>(java.util.List.of(Sgemm.SMALL_M));
        for (SgemmMicrokernel k : KERNELS) {
            blocks.addAll(java.util.List.of(k.mr(), k.nr(), Sgemm.kc(k), Sgemm.mc(k)));
        }
        return EdgeSizes.sizes(1, MAX, blocks.stream().mapToInt(Integer::intValue).toArray());
    }

    /** One randomly configured call, derived from the dimensions and a seed. */
    private record Case(SgemmMicrokernel kernel, int m, int n, int k, long seed, boolean transA, boolean transB, int aOff, int lda,
                        int bOff, int ldb, int cOff, int ldc, float alpha, float beta, int epilogueKind,
                        boolean packed, boolean integers) {

        static Case of(int m, int n, int k, long seed, boolean integers) {
            SplittableRandom r = new SplittableRandom(seed);
            boolean ta = r.nextBoolean();
            boolean tb = r.nextBoolean();
            int aCols = ta ? m : k;
            int bCols = tb ? k : n;
            float[] alphas = integers ? new float[]{1f, 2f, -1f} : new float[]{1f, 0f, -0.5f, 1.75f};
            float[] betas = integers ? new float[]{0f, 1f, -2f} : new float[]{0f, 1f, 0.25f, -1f};
            return new Case(KERNELS.get(r.nextInt(KERNELS.size())), m, n, k, seed, ta, tb, r.nextInt(4), aCols + (r.nextBoolean() ? 0 : r.nextInt(1, 20)),
                    r.nextInt(4), bCols + (r.nextBoolean() ? 0 : r.nextInt(1, 20)),
                    r.nextInt(4), n + (r.nextBoolean() ? 0 : r.nextInt(1, 20)),
                    alphas[r.nextInt(alphas.length)], betas[r.nextInt(betas.length)], r.nextInt(6),
                    r.nextBoolean(), integers);
        }

        float[] data(long s, int size) {
            return integers ? FloatData.smallIntegers(s, size) : FloatData.uniform(s, size);
        }

        float[] a() {
            return data(seed + 1, aOff + (transA ? k : m) * lda);
        }

        float[] b() {
            return data(seed + 2, bOff + (transB ? n : k) * ldb);
        }

        float[] c() {
            return data(seed + 3, cOff + m * ldc);
        }

        float[] bias() {
            return data(seed + 4, 2 + Math.max(m, n));
        }

        Epilogue epilogue(float[] bias) {
            return switch (epilogueKind) {
                case 0, 1 -> Epilogue.NONE;
                case 2 -> Epilogue.biasPerRow(bias, 1);
                case 3 -> Epilogue.biasPerColumn(bias, 2).relu();
                case 4 -> Epilogue.NONE.relu();
                default -> Epilogue.biasPerColumn(bias, 0).clip(-0.5f, integers ? 40f : 0.75f);
            };
        }

        void run(float[] a, float[] b, float[] c, Epilogue e, ThreadPool pool) {
            if (packed || kernel.getClass() != KernelProvider.backend().sgemm().getClass()) {
                PackedMatrix pb = PackedMatrix.pack(transB, k, n, b, bOff, ldb, kernel.nr(), pool);
                Sgemm.sgemm(kernel, transA, m, alpha, a, aOff, lda, pb, beta, c, cOff, ldc, e, pool);
            } else {
                Sgemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, e, pool);
            }
        }

        String describe() {
            return m + "x" + n + "x" + k + " tile " + kernel.name() + " seed=" + seed + " transA=" + transA
                    + " transB=" + transB + " offsets=" + aOff + "," + bOff + "," + cOff + " ld=" + lda + "," + ldb
                    + "," + ldc + " alpha=" + alpha + " beta=" + beta + " epilogue#" + epilogueKind
                    + (packed ? " packed" : "");
        }
    }

    private static void check(Case t) {
        float[] a = t.a();
        float[] b = t.b();
        float[] c0 = t.c();
        float[] bias = t.bias();
        Epilogue e = t.epilogue(bias);
        float[] expected = c0.clone();
        dev.sprig.kernels.reference.Sgemm.sgemm(t.transA, t.transB, t.m, t.n, t.k, t.alpha, a, t.aOff, t.lda,
                b, t.bOff, t.ldb, t.beta, expected, t.cOff, t.ldc, e);
        float[] one = c0.clone();
        t.run(a, b, one, e, ThreadPool.SERIAL);
        for (int idx = 0; idx < c0.length; idx++) {
            int rel = idx - t.cOff;
            int i = rel / t.ldc;
            int j = rel % t.ldc;
            String where = t.describe() + " at C[" + i + "][" + j + "]";
            if (rel < 0 || i >= t.m || j >= t.n) {
                Tolerance.assertSame(c0[idx], one[idx], where + " (outside C: must be untouched)");
                continue;
            }
            if (t.integers) {
                Tolerance.assertEqual(expected[idx], one[idx], where);
            } else {
                double sumAbs = 0;
                for (int p = 0; p < t.k; p++) {
                    float aip = t.transA ? a[t.aOff + p * t.lda + i] : a[t.aOff + i * t.lda + p];
                    float bpj = t.transB ? b[t.bOff + j * t.ldb + p] : b[t.bOff + p * t.ldb + j];
                    sumAbs += Math.abs((double) aip * bpj);
                }
                sumAbs = Math.abs(t.alpha) * sumAbs + Math.abs(t.beta * c0[idx]) + maxAbs(bias);
                Tolerance.assertClose(expected[idx], one[idx], t.k + 2, sumAbs, where);
            }
        }
        float[] two = c0.clone();
        t.run(a, b, two, e, TWO);
        float[] three = c0.clone();
        t.run(a, b, three, e, THREE);
        for (int idx = 0; idx < c0.length; idx++) {
            Tolerance.assertSame(one[idx], two[idx], t.describe() + " 2 threads vs 1, index " + idx);
            Tolerance.assertSame(one[idx], three[idx], t.describe() + " 3 threads vs 1, index " + idx);
        }
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    @Test
    void matchesTheTripleLoopWithinTheReductionBound() {
        qt().withExamples(EXAMPLES).forAll(dims(), dims(), dims(), EdgeSizes.seeds())
                .checkAssert((m, n, k, seed) -> check(Case.of(m, n, k, seed, false)));
    }

    @Test
    void isExactOnSmallIntegers() {
        qt().withExamples(EXAMPLES).forAll(dims(), dims(), dims(), EdgeSizes.seeds())
                .checkAssert((m, n, k, seed) -> check(Case.of(m, n, k, seed, true)));
    }

    @Test
    void smallMPathMatches() {
        qt().withExamples(EXAMPLES).forAll(org.quicktheories.generators.Generate.range(1, Sgemm.SMALL_M), dims(), dims(),
                        EdgeSizes.seeds())
                .checkAssert((m, n, k, seed) -> check(Case.of(m, n, k, seed, seed % 2 == 0)));
    }

    @Test
    void zeroDimensionsAndBadArgumentsFailClearly() {
        float[] c = {1f, 2f, 3f, 4f};
        // k = 0: C = beta * C
        Sgemm.sgemm(false, false, 2, 2, 0, 1f, new float[0], 0, 1, new float[0], 0, 2, 0.5f, c, 0, 2);
        Tolerance.assertSame(2f, c[3], "k=0 scales C by beta");
        var e = org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class,
                () -> Sgemm.sgemm(false, false, 3, 3, 3, 1f, new float[8], 0, 3, new float[9], 0, 3, 0f, new float[9], 0, 3));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("A:"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Sgemm.sgemm(false, false, 2, 3, 2, 1f, new float[6], 0, 1, new float[6], 0, 3, 0f, new float[6], 0, 3));
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class,
                () -> Sgemm.sgemm(false, false, 2, 2, 2, 1f, new float[4], 0, 2, new float[4], 0, 2, 0f, new float[4], 0, 2,
                        Epilogue.biasPerColumn(new float[1], 0), ThreadPool.SERIAL));
    }
}
