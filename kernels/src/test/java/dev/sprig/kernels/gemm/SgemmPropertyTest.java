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

    /**
     * {@link PackedMatrix#packInto} into a reused buffer of stale NaNs and {@link PackedMatrix#wrap} of
     * a caller-filled buffer give the panels of {@link PackedMatrix#pack} bitwise (the last panel's
     * padding zeroed, nothing past the packed size touched), and the product on them matches the
     * triple loop exactly on small integers, for every tile shape and 1 or 3 threads.
     */
    @Test
    void packIntoAndWrapMatchPack() {
        qt().withExamples(EXAMPLES).forAll(dims(), dims(), dims(), EdgeSizes.seeds())
                .checkAssert((m, n, k, seed) -> checkPackInto(Case.of(m, n, k, seed, true)));
    }

    private static void checkPackInto(Case t) {
        int nr = t.kernel.nr();
        float[] b = t.b();
        PackedMatrix fresh = PackedMatrix.pack(t.transB, t.k, t.n, b, t.bOff, t.ldb, nr, ThreadPool.SERIAL);
        int size = Math.ceilDiv(t.n, nr) * t.k * nr;
        float[] stale = new float[size + 5];
        java.util.Arrays.fill(stale, Float.NaN);
        float[] buffer = stale.clone();
        ThreadPool pool = t.seed % 2 == 0 ? ThreadPool.SERIAL : THREE;
        PackedMatrix into = PackedMatrix.packInto(t.transB, t.k, t.n, b, t.bOff, t.ldb, nr, buffer, pool);
        org.junit.jupiter.api.Assertions.assertSame(buffer, into.data(),
                t.describe() + ": packInto must fill the caller's buffer");
        org.junit.jupiter.api.Assertions.assertEquals(fresh.bytes(), into.bytes(), t.describe() + " bytes()");
        for (int i = 0; i < buffer.length; i++) {
            float want = i < size ? fresh.data()[i] : Float.NaN;
            Tolerance.assertSame(want, buffer[i], t.describe() + " packInto vs pack at " + i
                    + (i < size ? "" : " (past the packed size: must be untouched)"));
        }
        float[] filled = stale.clone();
        System.arraycopy(fresh.data(), 0, filled, 0, size);
        PackedMatrix wrapped = PackedMatrix.wrap(t.k, t.n, nr, filled);
        float[] a = t.a();
        float[] c0 = t.c();
        Epilogue e = t.epilogue(t.bias());
        float[] expected = c0.clone();
        dev.sprig.kernels.reference.Sgemm.sgemm(t.transA, t.transB, t.m, t.n, t.k, t.alpha, a, t.aOff, t.lda,
                b, t.bOff, t.ldb, t.beta, expected, t.cOff, t.ldc, e);
        for (PackedMatrix packed : java.util.List.of(into, wrapped)) {
            float[] c = c0.clone();
            Sgemm.sgemm(t.kernel, t.transA, t.m, t.alpha, a, t.aOff, t.lda, packed, t.beta, c, t.cOff, t.ldc,
                    e, pool);
            for (int idx = 0; idx < c.length; idx++) {
                Tolerance.assertEqual(expected[idx], c[idx], t.describe() + (packed == into ? " packInto" : " wrap")
                        + " index " + idx);
            }
        }
    }

    @Test
    void packIntoAndWrapOnTheBackendsPanelsCheckTheirBuffer() {
        int nr = KernelProvider.backend().sgemm().nr();
        int k = 5;
        int n = nr + 3;
        org.junit.jupiter.api.Assertions.assertEquals(2 * k * nr, PackedMatrix.packedSize(k, n));
        float[] b = FloatData.smallIntegers(11, k * n);
        float[] buffer = new float[PackedMatrix.packedSize(k, n) + 1];
        java.util.Arrays.fill(buffer, 7f);
        PackedMatrix into = PackedMatrix.packInto(false, k, n, b, 0, n, buffer, ThreadPool.SERIAL);
        PackedMatrix fresh = PackedMatrix.pack(false, k, n, b, 0, n);
        org.junit.jupiter.api.Assertions.assertEquals(nr, into.nr());
        org.junit.jupiter.api.Assertions.assertArrayEquals(fresh.data(),
                java.util.Arrays.copyOf(buffer, PackedMatrix.packedSize(k, n)));
        org.junit.jupiter.api.Assertions.assertEquals(fresh.toString(),
                PackedMatrix.wrap(k, n, buffer).toString());
        var shortBuffer = org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class,
                () -> PackedMatrix.packInto(false, k, n, b, 0, n, new float[2 * k * nr - 1], ThreadPool.SERIAL));
        org.junit.jupiter.api.Assertions.assertTrue(shortBuffer.getMessage().contains("needs " + 2 * k * nr
                + " floats, the buffer has " + (2 * k * nr - 1)), shortBuffer.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class,
                () -> PackedMatrix.wrap(k, n, new float[k * n]));
        var negative = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> PackedMatrix.wrap(-1, n, buffer));
        org.junit.jupiter.api.Assertions.assertTrue(negative.getMessage().contains("-1x" + n),
                negative.getMessage());
        // B is checked before the buffer: a bad operand names B
        var badB = org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class,
                () -> PackedMatrix.packInto(false, k, n, new float[k * n - 1], 0, n, buffer, ThreadPool.SERIAL));
        org.junit.jupiter.api.Assertions.assertTrue(badB.getMessage().startsWith("B:"), badB.getMessage());
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
