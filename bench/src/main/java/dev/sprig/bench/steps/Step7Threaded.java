package dev.sprig.bench.steps;

import dev.sprig.kernels.ThreadPool;
import java.util.Arrays;

/**
 * Step 7: threads. Step 6's loop nest with its row blocks (MC rows of C each) handed out over a
 * fixed {@link ThreadPool}: all threads share the packed B block, each packs its own A block into
 * a buffer of its own. Row blocks write disjoint rows of C, so no two threads write the same
 * element, and every element is computed by the same operations in the same order as in step 6:
 * the result does not depend on the thread count.
 *
 * <p>The split is coarse: a 256-row C has 2 row blocks, so it keeps at most 2 threads busy, and B
 * is packed by one thread while the others wait.
 */
public final class Step7Threaded {

    private static final ThreadLocal<float[]> A_BLOCK =
            ThreadLocal.withInitial(() -> new float[Step6CacheBlocked.MC * Step6CacheBlocked.KC]);

    private Step7Threaded() {
    }

    /** Overwrites C with A * B, on up to {@code pool.threads()} threads. */
    public static void multiply(int m, int n, int k, float[] a, float[] b, float[] c, ThreadPool pool) {
        GemmOperands.check(m, n, k, a, b, c);
        Arrays.fill(c, 0, m * n, 0f);
        int mcMax = Step6CacheBlocked.MC;
        float[] bBlock = new float[Step6CacheBlocked.KC
                * Step5Packed.roundUp(Math.min(Step6CacheBlocked.NC, n), Step5Packed.NR)];
        for (int jc = 0; jc < n; jc += Step6CacheBlocked.NC) {
            int nc = Math.min(Step6CacheBlocked.NC, n - jc);
            for (int pc = 0; pc < k; pc += Step6CacheBlocked.KC) {
                int kc = Math.min(Step6CacheBlocked.KC, k - pc);
                int j0 = jc;
                int p0 = pc;
                Step5Packed.packB(b, n, pc, kc, jc, nc, bBlock);
                pool.parallelFor(Math.ceilDiv(m, mcMax), block -> {
                    int ic = block * mcMax;
                    int mc = Math.min(mcMax, m - ic);
                    float[] aBlock = A_BLOCK.get();
                    Step5Packed.packA(a, k, ic, mc, p0, kc, aBlock);
                    Step6CacheBlocked.addBlockProduct(mc, nc, kc, aBlock, bBlock, c, ic * n + j0, n);
                });
            }
        }
    }
}
