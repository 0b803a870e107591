package dev.sprig.kernels.gemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.testing.FloatData;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A pre-packed A ({@link PackedA}) gives bitwise the product of packing A per call: the tile sees
 * the same values in the same order, only the copy moves to load time. Random shapes around the
 * small-M limit, mr, KC and MC; both transposes; epilogues; 1, 2 and 3 threads; and the reference
 * triple loop on small-integer data (exact).
 */
class PackedATest {

    private static final ThreadPool TWO = ThreadPool.create(2);
    private static final ThreadPool THREE = ThreadPool.create(3);

    @AfterAll
    static void close() {
        TWO.close();
        THREE.close();
    }

    @Test
    void prePackedAGivesBitwiseThePackedPerCallProduct() {
        SplittableRandom r = new SplittableRandom(77);
        int[] ms = {1, 2, 4, 5, 6, 7, 12, 13, 31, 64, 97, 150, 300};
        int[] ks = {1, 3, 17, 63, 64, 65, 127, 128, 129, 300};
        for (int trial = 0; trial < 120; trial++) {
            int m = ms[r.nextInt(ms.length)];
            int k = ks[r.nextInt(ks.length)];
            int n = 1 + r.nextInt(r.nextBoolean() ? 20 : 90);
            boolean transA = r.nextBoolean();
            boolean integers = r.nextInt(3) == 0;
            long seed = r.nextLong();
            float[] a = integers ? FloatData.smallIntegers(seed, m * k) : FloatData.uniform(seed, m * k);
            float[] b = integers ? FloatData.smallIntegers(seed + 1, k * n) : FloatData.uniform(seed + 1, k * n);
            float[] bias = FloatData.uniform(seed + 2, m);
            Epilogue e = trial % 2 == 0 ? Epilogue.NONE : Epilogue.biasPerRow(bias, 0).relu();
            int lda = transA ? m : k;
            PackedMatrix pb = PackedMatrix.pack(false, k, n, b, 0, n);
            float[] expected = new float[m * n];
            Sgemm.sgemm(transA, m, 0.5f, a, 0, lda, pb, 0f, expected, 0, n, e, ThreadPool.SERIAL);
            PackedA pa = PackedA.pack(transA, m, k, a, 0, lda);
            String where = m + "x" + n + "x" + k + " transA=" + transA + " " + e + " seed " + seed;
            for (ThreadPool pool : new ThreadPool[] {ThreadPool.SERIAL, TWO, THREE}) {
                float[] got = new float[m * n];
                Sgemm.sgemm(pa, 0.5f, pb, 0f, got, 0, n, e, pool);
                assertArrayEquals(expected, got, where + " threads " + pool.threads());
            }
            if (integers && e.isNone()) {
                float[] ref = new float[m * n];
                dev.sprig.kernels.reference.Sgemm.sgemm(transA, false, m, n, k, 0.5f, a, 0, lda, b, 0, n, 0f, ref, 0, n,
                        Epilogue.NONE);
                assertArrayEquals(ref, expected, where + " vs the reference");
            }
        }
    }

    @Test
    void mismatchedOperandsAreRejected() {
        PackedA a = PackedA.pack(false, 8, 5, new float[40], 0, 5);
        PackedMatrix b = PackedMatrix.pack(false, 6, 3, new float[18], 0, 3);
        assertThrows(IllegalArgumentException.class,
                () -> Sgemm.sgemm(a, 1f, b, 0f, new float[24], 0, 3, Epilogue.NONE, ThreadPool.SERIAL));
        assertThrows(IndexOutOfBoundsException.class, () -> PackedA.pack(false, 8, 5, new float[39], 0, 5));
    }
}
