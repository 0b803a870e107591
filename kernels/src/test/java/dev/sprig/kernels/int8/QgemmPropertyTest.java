package dev.sprig.kernels.int8;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;

import dev.sprig.kernels.KernelProvider;
import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.testing.EdgeSizes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The integer GEMM tester: {@link Qgemm} against the triple loop {@link dev.sprig.kernels.reference.Qgemm},
 * exactly, over random shapes around every block edge (the tile's rows, the 16-column panel, the
 * 4-step quad, KC and MC, +-1), int8/uint8 operands in all four combinations, zero points 0, 128 and
 * random, per-tensor and per-column B zero points, offsets and padded leading dimensions, packed and
 * unpacked B, extreme data (only the type's min and max: the largest products), every tile of the
 * backend, and 1, 2 and 3 threads. Failures print M x N x K, the tile, the seed and the element.
 */
class QgemmPropertyTest {

    private static final List<QgemmMicrokernel> KERNELS = kernels();
    private static final int MAX = Integer.getInteger("sprig.test.maxDim", 300);
    private static final int EXAMPLES = Integer.getInteger("sprig.test.examples", 150);
    private static final ThreadPool TWO = ThreadPool.create(2);
    private static final ThreadPool THREE = ThreadPool.create(3);

    @AfterAll
    static void closePools() {
        TWO.close();
        THREE.close();
    }

    private static List<QgemmMicrokernel> kernels() {
        LinkedHashSet<QgemmMicrokernel> set = new LinkedHashSet<>();
        set.add(KernelProvider.backend().qgemm());
        set.add(QgemmMicrokernelScalar.INSTANCE);
        return new ArrayList<>(set);
    }

    private static Gen<Integer> dims(int max) {
        List<Integer> blocks = new ArrayList<>(List.of(PackedQMatrix.NR, 4, 8));
        for (QgemmMicrokernel k : KERNELS) {
            blocks.add(k.mr());
            blocks.add(Qgemm.mc(k.mr()));
        }
        return EdgeSizes.sizes(1, max, blocks.stream().mapToInt(Integer::intValue).toArray());
    }

    private static Gen<Integer> depths() {
        // around KC too (the k blocks), which the row/column sizes do not reach
        return EdgeSizes.sizes(1, Math.max(MAX, Qgemm.KC + 20), Qgemm.KC, PackedQMatrix.NR, 4);
    }

    /** One randomly configured call, derived from the dimensions and a seed. */
    record Case(QgemmMicrokernel kernel, int m, int n, int k, long seed, boolean aSigned, boolean bSigned,
                int aZero, int[] bZero, int aOff, int lda, int bOff, int ldb, int cOff, int ldc,
                boolean packed, boolean extreme) {

        static Case of(int m, int n, int k, long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            boolean as = r.nextBoolean();
            boolean bs = r.nextBoolean();
            int[] bz = new int[r.nextBoolean() ? 1 : n];
            for (int j = 0; j < bz.length; j++) {
                bz[j] = zeroPoint(r, bs);
            }
            return new Case(KERNELS.get(r.nextInt(KERNELS.size())), m, n, k, seed, as, bs, zeroPoint(r, as), bz,
                    r.nextInt(4), k + (r.nextBoolean() ? 0 : r.nextInt(1, 20)),
                    r.nextInt(4), n + (r.nextBoolean() ? 0 : r.nextInt(1, 20)),
                    r.nextInt(4), n + (r.nextBoolean() ? 0 : r.nextInt(1, 20)),
                    r.nextBoolean(), r.nextInt(5) == 0);
        }

        /** 0, the middle of uint8's range, the type's ends, or anything in the type's range. */
        private static int zeroPoint(SplittableRandom r, boolean signed) {
            return switch (r.nextInt(5)) {
                case 0 -> 0;
                case 1 -> signed ? 0 : 128;
                case 2 -> signed ? -128 : 255;
                case 3 -> signed ? 127 : 0;
                default -> signed ? r.nextInt(-128, 128) : r.nextInt(256);
            };
        }

        byte[] data(long s, int size) {
            SplittableRandom r = new SplittableRandom(s);
            byte[] v = new byte[size];
            for (int i = 0; i < size; i++) {
                // extreme: only the bytes 0x80 and 0x7F (int8 -128/127, uint8 128/127) or 0x00/0xFF
                v[i] = extreme ? (byte) (new int[]{0x80, 0x7F, 0x00, 0xFF}[r.nextInt(4)]) : (byte) r.nextInt(256);
            }
            return v;
        }

        byte[] a() {
            return data(seed + 1, aOff + m * lda);
        }

        byte[] b() {
            return data(seed + 2, bOff + k * ldb);
        }

        void run(byte[] a, byte[] b, int[] c, ThreadPool pool) {
            if (packed || kernel != KernelProvider.backend().qgemm()) {
                PackedQMatrix pb = PackedQMatrix.pack(k, n, b, bOff, ldb, bSigned, bZero);
                Qgemm.qgemm(kernel, m, a, aOff, lda, aSigned, aZero, pb, c, cOff, ldc, pool);
            } else {
                Qgemm.qgemm(m, n, k, a, aOff, lda, aSigned, aZero, b, bOff, ldb, bSigned, bZero, c, cOff, ldc, pool);
            }
        }

        String describe() {
            return m + "x" + n + "x" + k + " tile " + kernel.name() + " seed=" + seed
                    + " A " + (aSigned ? "s8" : "u8") + " zero " + aZero + ", B " + (bSigned ? "s8" : "u8")
                    + " zero " + (bZero.length == 1 ? "" + bZero[0] : "per column") + " offsets=" + aOff + "," + bOff
                    + "," + cOff + " ld=" + lda + "," + ldb + "," + ldc + (packed ? " packed" : "")
                    + (extreme ? " extreme" : "");
        }
    }

    private static void check(Case t) {
        byte[] a = t.a();
        byte[] b = t.b();
        int size = t.cOff() + t.m() * t.ldc();
        int[] expected = new int[size];
        java.util.Arrays.fill(expected, 0x5EED);
        dev.sprig.kernels.reference.Qgemm.qgemm(t.m(), t.n(), t.k(), a, t.aOff(), t.lda(), t.aSigned(), t.aZero(),
                b, t.bOff(), t.ldb(), t.bSigned(), t.bZero(), expected, t.cOff(), t.ldc());
        for (ThreadPool pool : new ThreadPool[]{ThreadPool.SERIAL, TWO, THREE}) {
            int[] c = new int[size];
            java.util.Arrays.fill(c, 0x5EED); // outside C must stay untouched
            t.run(a, b, c, pool);
            for (int i = 0; i < size; i++) {
                if (c[i] != expected[i]) {
                    int row = (i - t.cOff()) / t.ldc();
                    int col = (i - t.cOff()) % t.ldc();
                    fail(t.describe() + " threads=" + pool.threads() + ": C[" + row + "][" + col + "] (index " + i
                            + ") expected " + expected[i] + " but was " + c[i]);
                }
            }
        }
    }

    @Test
    void matchesReferenceOnRandomShapes() {
        qt().withExamples(EXAMPLES).withFixedSeed(0x0DDBA11L)
                .forAll(dims(Math.min(MAX, 200)), dims(Math.min(MAX, 200)), depths(), EdgeSizes.seeds())
                .checkAssert((m, n, k, seed) -> check(Case.of(m, n, k, seed)));
    }

    @Test
    void matchesReferenceForBatchOne() {
        qt().withExamples(EXAMPLES).withFixedSeed(0xBA7C41L)
                .forAll(dims(5), dims(MAX * 3), EdgeSizes.sizes(1, 2 * Qgemm.KC + 20, Qgemm.KC, PackedQMatrix.NR, 4),
                        EdgeSizes.seeds())
                .checkAssert((m, n, k, seed) -> check(Case.of(m, n, k, seed)));
    }

    @Test
    void fixedEdgesOnEveryTile() {
        long seed = 1;
        for (QgemmMicrokernel kernel : KERNELS) {
            int mr = kernel.mr();
            for (int m : new int[]{1, mr - 1, mr, mr + 1, 2 * mr + 1}) {
                for (int n : new int[]{1, 15, 16, 17, 33}) {
                    for (int k : new int[]{1, 2, 3, 4, 5, 7, 8, 9, 64, Qgemm.KC, Qgemm.KC + 1}) {
                        if (m < 1) {
                            continue;
                        }
                        for (boolean extreme : new boolean[]{false, true}) {
                            Case c = Case.of(m, n, k, seed++);
                            check(new Case(kernel, m, n, k, c.seed(), c.aSigned(), c.bSigned(), c.aZero(), c.bZero(),
                                    c.aOff(), c.lda(), c.bOff(), c.ldb(), c.cOff(), c.ldc(), true, extreme));
                        }
                    }
                }
            }
        }
    }

    @Test
    void largestProductsInEveryEncoding() {
        // every byte the extreme value of its type, every zero point at the far end: the largest
        // |(a - za) * (b - zb)| (255 * 255) in every lane, in all four signedness combinations
        for (QgemmMicrokernel kernel : KERNELS) {
            for (boolean as : new boolean[]{false, true}) {
                for (boolean bs : new boolean[]{false, true}) {
                    for (int av : new int[]{as ? -128 : 0, as ? 127 : 255}) {
                        int m = 5;
                        int n = 19;
                        int k = 37;
                        byte[] a = new byte[m * k];
                        byte[] b = new byte[k * n];
                        java.util.Arrays.fill(a, (byte) av);
                        java.util.Arrays.fill(b, (byte) (bs ? -128 : 0));
                        int za = as ? (av < 0 ? 127 : -128) : (av == 0 ? 255 : 0);
                        int zb = bs ? 127 : 255;
                        int[] c = new int[m * n];
                        PackedQMatrix pb = PackedQMatrix.pack(k, n, b, 0, n, bs, new int[]{zb});
                        Qgemm.qgemm(kernel, m, a, 0, k, as, za, pb, c, 0, n, ThreadPool.SERIAL);
                        int expected = k * ((as ? av : av & 0xFF) - za) * ((bs ? -128 : 0) - zb);
                        for (int v : c) {
                            assertEquals(expected, v, kernel.name() + " A " + (as ? "s8 " : "u8 ") + av + " zero " + za
                                    + ", B " + (bs ? "s8" : "u8") + " zero " + zb);
                        }
                    }
                }
            }
        }
    }

    @Test
    void rejectsBadOperands() {
        byte[] a = new byte[12];
        byte[] b = new byte[12];
        int[] c = new int[9];
        var e = assertThrows(IllegalArgumentException.class,
                () -> Qgemm.qgemm(3, 3, 4, a, 0, 4, false, 0, b, 0, 3, true, new int[]{0, 0}, c, 0, 3, ThreadPool.SERIAL));
        assertEquals(true, e.getMessage().contains("length 1 (per tensor) or n = 3"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class,
                () -> Qgemm.qgemm(3, 3, 4, a, 1, 4, false, 0, b, 0, 3, true, new int[]{0}, c, 0, 3, ThreadPool.SERIAL));
        assertThrows(IllegalArgumentException.class,
                () -> Qgemm.qgemm(3, 3, 4, a, 0, 3, false, 0, b, 0, 3, true, new int[]{0}, c, 0, 3, ThreadPool.SERIAL));
    }
}
