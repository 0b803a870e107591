package dev.sprig.kernels.sparse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;

import dev.sprig.kernels.KernelProvider;
import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.gemm.Epilogue;
import dev.sprig.kernels.testing.EdgeSizes;
import dev.sprig.kernels.testing.FloatData;
import dev.sprig.kernels.testing.Tolerance;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The sparse tester: every format ({@link CsrMatrix}, {@link BlockCsrMatrix},
 * {@link Compressed2to4Matrix}) in both products of {@link Spmm} against the dense triple loop
 * {@link dev.sprig.kernels.reference.Sgemm} on the same zero-filled weights: random shapes around
 * the vector strips, sparsity 0% to 100% (all-zero), forced empty rows and columns, offsets and
 * padded leading dimensions, every epilogue, and 1, 2 and 3 threads, which must agree bitwise.
 * Failures print the format, product, M x N x K, sparsity and seed.
 */
class SpmmPropertyTest {

    private static final int MAX = Integer.getInteger("sprig.test.maxDim", 300) / 3;
    private static final int EXAMPLES = Integer.getInteger("sprig.test.examples", 150);
    private static final double[] SPARSITY = {0.0, 0.3, 0.5, 0.7, 0.9, 0.95, 0.99, 1.0};
    private static final ThreadPool TWO = ThreadPool.create(2);
    private static final ThreadPool THREE = ThreadPool.create(3);

    @AfterAll
    static void closePools() {
        TWO.close();
        THREE.close();
    }

    private static Gen<Integer> dims() {
        return EdgeSizes.sizes(1, MAX, 4, 32, Spmm.TRANSPOSE_MIN_BATCH);
    }

    /**
     * One call: the sparse operand is m x k (rows = outputs); {@code transposedProduct} runs
     * Y[n x m] = X[n x k] * Wd with the MatMul weight Wd (k x m) given as stored, else
     * C[m x n] = W * X[k x n].
     */
    private record Case(SparseFormat format, boolean transposedProduct, int m, int n, int k, double sparsity,
                        long seed, int xOff, int ldx, int cOff, int ldc, int epilogueKind) {

        static Case of(SparseFormat format, boolean transposed, int m, int n, int k, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            int xCols = transposed ? k : n;
            int cCols = transposed ? m : n;
            return new Case(format, transposed, m, n, k, SPARSITY[r.nextInt(SPARSITY.length)], seed,
                    r.nextInt(4), xCols + (r.nextBoolean() ? 0 : r.nextInt(1, 9)),
                    r.nextInt(4), cCols + (r.nextBoolean() ? 0 : r.nextInt(1, 9)), r.nextInt(6));
        }

        /** The m x k weights with this format's zero pattern. */
        float[] weights() {
            return SparsePatterns.weights(format, m, k, sparsity, seed);
        }

        /** The dense weight as the caller holds it: W (m x k), or for the MatMul product Wd = W^T (k x m). */
        float[] stored(float[] w) {
            if (!transposedProduct) {
                return w;
            }
            float[] t = new float[k * m];
            for (int i = 0; i < m; i++) {
                for (int p = 0; p < k; p++) {
                    t[p * m + i] = w[i * k + p];
                }
            }
            return t;
        }

        SparseMatrix sparse(float[] stored) {
            return switch (format) {
                case CSR -> transposedProduct ? CsrMatrix.fromDenseTransposed(stored, 0, m, k, m)
                        : CsrMatrix.fromDense(stored, 0, k, m, k);
                case BLOCK_1X4 -> transposedProduct ? BlockCsrMatrix.fromDenseTransposed(stored, 0, m, k, m)
                        : BlockCsrMatrix.fromDense(stored, 0, k, m, k);
                case TWO_FOUR -> transposedProduct ? Compressed2to4Matrix.fromDenseTransposed(stored, 0, m, k, m)
                        : Compressed2to4Matrix.fromDense(stored, 0, k, m, k);
            };
        }

        int xRows() {
            return transposedProduct ? n : k;
        }

        int cRows() {
            return transposedProduct ? n : m;
        }

        float[] x() {
            return FloatData.uniform(seed + 1, xOff + xRows() * ldx);
        }

        float[] c() {
            return FloatData.uniform(seed + 2, cOff + cRows() * ldc);
        }

        Epilogue epilogue(float[] bias) {
            // the bias runs along C's rows or columns: sized for both
            return switch (epilogueKind) {
                case 0, 1 -> Epilogue.NONE;
                case 2 -> Epilogue.biasPerRow(bias, 1);
                case 3 -> Epilogue.biasPerColumn(bias, 2).relu();
                case 4 -> Epilogue.NONE.relu();
                default -> Epilogue.biasPerColumn(bias, 0).clip(-0.5f, 0.75f);
            };
        }

        void run(SparseMatrix w, float[] x, float[] c, Epilogue e, ThreadPool pool) {
            if (transposedProduct) {
                Spmm.denseTimesSparseTransposed(x, xOff, ldx, n, w, c, cOff, ldc, e, pool);
            } else {
                Spmm.sparseTimesDense(w, x, xOff, ldx, n, c, cOff, ldc, e, pool);
            }
        }

        String describe() {
            return format.label() + (transposedProduct ? " X*Wt^T " + n + "x" + k + " * " + k + "x" + m
                    : " W*X " + m + "x" + k + " * " + k + "x" + n) + " sparsity=" + sparsity + " seed=" + seed
                    + " offsets=" + xOff + "," + cOff + " ld=" + ldx + "," + ldc + " epilogue#" + epilogueKind
                    + " backend=" + KernelProvider.backend().spmm().name();
        }
    }

    private static void check(Case t) {
        float[] w = t.weights();
        float[] stored = t.stored(w);
        SparseMatrix sparse = t.sparse(stored);
        assertArrayEquals(w, sparse.toDense(), t.describe() + ": toDense must give back the weights");
        assertEquals(countNonzeros(w), sparse.nonzeros(), t.describe() + ": nonzeros");
        float[] x = t.x();
        float[] c0 = t.c();
        float[] bias = FloatData.uniform(t.seed + 3, 2 + Math.max(t.m, t.n));
        Epilogue e = t.epilogue(bias);
        float[] expected = c0.clone();
        if (t.transposedProduct) {
            dev.sprig.kernels.reference.Sgemm.sgemm(false, false, t.n, t.m, t.k, 1f, x, t.xOff, t.ldx,
                    stored, 0, t.m, 0f, expected, t.cOff, t.ldc, e);
        } else {
            dev.sprig.kernels.reference.Sgemm.sgemm(false, false, t.m, t.n, t.k, 1f, w, 0, t.k,
                    x, t.xOff, t.ldx, 0f, expected, t.cOff, t.ldc, e);
        }
        float[] one = c0.clone();
        t.run(sparse, x, one, e, ThreadPool.SERIAL);
        int cCols = t.transposedProduct ? t.m : t.n;
        for (int idx = 0; idx < c0.length; idx++) {
            int rel = idx - t.cOff;
            int i = rel / t.ldc;
            int j = rel % t.ldc;
            String where = t.describe() + " at C[" + i + "][" + j + "]";
            if (rel < 0 || i >= t.cRows() || j >= cCols) {
                Tolerance.assertSame(c0[idx], one[idx], where + " (outside C: must be untouched)");
                continue;
            }
            double sumAbs = maxAbs(bias);
            for (int p = 0; p < t.k; p++) {
                sumAbs += t.transposedProduct ? Math.abs((double) x[t.xOff + i * t.ldx + p] * w[j * t.k + p])
                        : Math.abs((double) w[i * t.k + p] * x[t.xOff + p * t.ldx + j]);
            }
            Tolerance.assertClose(expected[idx], one[idx], t.k + 2, sumAbs, where);
        }
        float[] two = c0.clone();
        t.run(sparse, x, two, e, TWO);
        float[] three = c0.clone();
        t.run(sparse, x, three, e, THREE);
        for (int idx = 0; idx < c0.length; idx++) {
            Tolerance.assertSame(one[idx], two[idx], t.describe() + " 2 threads vs 1, index " + idx);
            Tolerance.assertSame(one[idx], three[idx], t.describe() + " 3 threads vs 1, index " + idx);
        }
    }

    private static long countNonzeros(float[] w) {
        long n = 0;
        for (float v : w) {
            n += v != 0f ? 1 : 0;
        }
        return n;
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static void property(SparseFormat format, boolean transposed) {
        qt().withExamples(EXAMPLES).forAll(dims(), dims(), dims(), EdgeSizes.seeds())
                .checkAssert((m, n, k, seed) -> check(Case.of(format, transposed, m, n, k, seed)));
    }

    @Test
    void csrTimesDenseMatchesDenseGemm() {
        property(SparseFormat.CSR, false);
    }

    @Test
    void denseTimesCsrMatchesDenseGemm() {
        property(SparseFormat.CSR, true);
    }

    @Test
    void block1x4TimesDenseMatchesDenseGemm() {
        property(SparseFormat.BLOCK_1X4, false);
    }

    @Test
    void denseTimesBlock1x4MatchesDenseGemm() {
        property(SparseFormat.BLOCK_1X4, true);
    }

    @Test
    void twoFourTimesDenseMatchesDenseGemm() {
        property(SparseFormat.TWO_FOUR, false);
    }

    @Test
    void denseTimesTwoFourMatchesDenseGemm() {
        property(SparseFormat.TWO_FOUR, true);
    }

    /** Shapes big enough that the work is split over 2 and 3 threads (small ones run on one). */
    @Test
    void largeProductsAgreeAcrossThreadCounts() {
        qt().withExamples(Math.max(4, EXAMPLES / 25))
                .forAll(Generate.pick(List.of(SparseFormat.values())), Generate.booleans(),
                        Generate.pick(List.of(37, 64, 250, 300)), EdgeSizes.seeds())
                .checkAssert((format, transposed, n, seed) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    Case base = Case.of(format, transposed, 250 + r.nextInt(60), n, 260 + r.nextInt(60), seed);
                    check(new Case(format, transposed, base.m(), base.n(), base.k(), r.nextInt(2) * 0.5, seed,
                            base.xOff(), base.ldx(), base.cOff(), base.ldc(), base.epilogueKind()));
                });
    }

    @Test
    void twoFourRejectsAGroupWithThreeNonzeros() {
        float[] w = {1, 2, 0, 3, 0, 0, 0, 0};
        var e = assertThrows(IllegalArgumentException.class, () -> Compressed2to4Matrix.fromDense(w, 0, 8, 1, 8));
        assertEquals("not 2:4 sparse: row 0, columns 0..3 hold more than 2 nonzeros", e.getMessage());
    }

    /** Memory per format follows from what each stores: 12x32 with 3 nonzero 1x4 blocks (8 nonzeros). */
    @Test
    void reportsMemoryPerFormat() {
        float[] w = new float[12 * 32];
        w[0] = 1;
        w[2] = 2;
        w[5 * 32 + 8] = 3;
        w[11 * 32 + 28] = 4;
        w[11 * 32 + 29] = 5;
        w[11 * 32 + 30] = 0;
        w[7 * 32 + 16] = 6;
        w[7 * 32 + 19] = 7;
        w[7 * 32 + 17] = 8;
        // 2:4 needs at most 2 per group: drop the third of block (7, 16..19)
        float[] nm = w.clone();
        nm[7 * 32 + 17] = 0;
        assertEquals(8 * 8 + 13 * 4, CsrMatrix.fromDense(w, 0, 32, 12, 32).bytes());
        assertEquals(4 * 4 * 4 + 4 * 4 + 13 * 4, BlockCsrMatrix.fromDense(w, 0, 32, 12, 32).bytes());
        assertEquals(12 * 8 * 2 * 4 + 12 * 8 / 2, Compressed2to4Matrix.fromDense(nm, 0, 32, 12, 32).bytes());
        assertEquals(4L * 12 * 32, CsrMatrix.fromDense(w, 0, 32, 12, 32).denseBytes());
        assertEquals(1.0 - 8.0 / 384, CsrMatrix.fromDense(w, 0, 32, 12, 32).sparsity(), 1e-12);
    }
}
