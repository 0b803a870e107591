package dev.sprig.bench.steps;

import java.util.Arrays;

/**
 * Step 6: cache blocking, the Goto/BLIS loop nest around step 5's packing and tile. B is packed a
 * {@link #KC} x {@link #NC} block at a time and A a {@link #MC} x KC block at a time, sized so that
 * each level of reuse is served by a cache: the tile's KC x NR B micro-panel stays in L1 while the
 * tile walks down the A block, the A block stays in L2 while the tile walks across the B block,
 * and the B block stays in L3 while all of A's row blocks pass by. With k cut into blocks, each
 * block's product is added to C.
 *
 * <pre>
 * for jc in n by NC:             B block   KC x NC   (L3)
 *   for pc in k by KC:           pack B[pc.., jc..]
 *     for ic in m by MC:         A block   MC x KC   (L2), pack A[ic.., pc..]
 *       for jr in NC by NR:      B panel   KC x NR   (L1)
 *         for ir in MC by MR:    the MR x NR register tile, C += A panel * B panel
 * </pre>
 *
 * Sizes for a 32 KiB L1 and a 1 MiB L2 with 256-bit vectors (NR = 16): the B micro-panel is 256 x
 * 16 floats = 16 KiB, half the L1; the A block 128 x 256 floats = 128 KiB.
 */
public final class Step6CacheBlocked {

    /** Depth of a k block. */
    static final int KC = 256;
    /** Rows of an A block: a multiple of MR. */
    static final int MC = 128;
    /** Columns of a B block: a multiple of NR. */
    static final int NC = 4096;

    private Step6CacheBlocked() {
    }

    /** Overwrites C with A * B. */
    public static void multiply(int m, int n, int k, float[] a, float[] b, float[] c) {
        GemmOperands.check(m, n, k, a, b, c);
        Arrays.fill(c, 0, m * n, 0f);
        float[] bBlock = new float[KC * Step5Packed.roundUp(Math.min(NC, n), Step5Packed.NR)];
        float[] aBlock = new float[MC * KC];
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                Step5Packed.packB(b, n, pc, kc, jc, nc, bBlock);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    Step5Packed.packA(a, k, ic, mc, pc, kc, aBlock);
                    addBlockProduct(mc, nc, kc, aBlock, bBlock, c, ic * n + jc, n);
                }
            }
        }
    }

    /** C block (mc x nc at cOff, rows ldc apart) += packed A block (mc x kc) * packed B block (kc x nc). */
    static void addBlockProduct(int mc, int nc, int kc, float[] aBlock, float[] bBlock, float[] c, int cOff, int ldc) {
        for (int jr = 0; jr < nc; jr += Step5Packed.NR) {
            for (int ir = 0; ir < mc; ir += Step5Packed.MR) {
                Step5Packed.tile(kc, aBlock, ir * kc, bBlock, jr * kc, c, cOff + ir * ldc + jr, ldc,
                        Math.min(Step5Packed.MR, mc - ir), Math.min(Step5Packed.NR, nc - jr));
            }
        }
    }
}
