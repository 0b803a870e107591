package dev.sprig.kernels.int8;

import dev.sprig.kernels.VectorWidth;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API tile of {@link Qgemm}: 2 rows x 16 columns (two 8-lane int vectors per row at 256
 * bits; at 128 bits the panel is done as two 8-column halves).
 *
 * <p>The Vector API has no widening multiply-add (no {@code vpmaddwd}), so it is built from 16-bit
 * lanes: per half quad, a B load of 16 bytes (8 columns x 2 steps) sign-extended to 16 shorts, an
 * A pair broadcast as an int and seen as 16 shorts, one 16-bit multiply giving both steps'
 * products side by side, the two halves' products added ({@code |sum| <= 2 * 128 * 128 = 32768}) plus a
 * bias of 0x7FFF, which makes each 16-bit sum an exact unsigned value in [255, 65535]. Seen as an
 * int lane, the biased pair is {@code hi * 65536 + lo}; the tile adds the lanes as they are into
 * one accumulator and {@code lane >>> 16} (hi) into another, and at the end recovers
 * {@code sum(hi + lo) = R - 65535 * H - 2 * 0x7FFF * quads}, all mod 2^32, which is exact because
 * the true sum fits an int. That is 7 vector operations per 32 multiply-adds.
 *
 * <p>Species come from the {@code SPECIES_*} constants: a species built with
 * {@code VectorSpecies.of} was not constant-folded in the conversion, which ran 3x slower.
 * Measured with {@code -XX:UseAVX=2}, JDK 25, 1 thread, ad hoc timing: 31 GMAC/s on 256^3 (FP32
 * Sgemm: 46), i.e. about 0.65x: the 7 integer operations per 32 multiply-adds cost about what 4
 * FMAs do. (A 4-row tile with one accumulator per vector, widening by three shifts, ran at 3 GMAC/s
 * but was only tried with the non-constant species.) Rows of 1 (batch 1) take a one-row loop:
 * 1x16384x4096 17.5 GMAC/s (FP32: 6.4, 2.8x), 1x3072x768 35 (FP32: 22, 1.6x).
 */
public final class QgemmMicrokernel2x16v implements QgemmMicrokernel {

    /** 256 bits at most (wider species are not compiled to SIMD on AVX2), 128 at least (shorts need 8 lanes). */
    private static final int BITS = VectorWidth.BITS >= 256 ? 256 : 128;
    private static final VectorSpecies<Integer> I = BITS == 256 ? IntVector.SPECIES_256 : IntVector.SPECIES_128;
    private static final VectorSpecies<Short> S = BITS == 256 ? ShortVector.SPECIES_256 : ShortVector.SPECIES_128;
    private static final VectorSpecies<Byte> B = BITS == 256 ? ByteVector.SPECIES_128 : ByteVector.SPECIES_64;
    /** Columns per int vector. */
    private static final int IL = I.length();
    /** Columns per loop call: two int vectors. */
    private static final int CHUNK = 2 * IL;
    private static final int MR = 2;
    private static final int NR = PackedQMatrix.NR;
    private static final short BIAS = 0x7FFF;

    /** Sums of one loop call, as rows of CHUNK columns; per thread (the kernel is shared). */
    private static final ThreadLocal<int[]> SUMS = ThreadLocal.withInitial(() -> new int[MR * CHUNK]);

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public String name() {
        return "QgemmMicrokernel2x16v(" + MR + "x" + NR + ", " + BITS + "-bit)";
    }

    @Override
    public void tile(int quads, int[] a, int aOff, byte[] b, int bOff, int[] c, int cOff, int ldc,
                     int rows, int cols, boolean accumulate) {
        int[] sums = SUMS.get();
        for (int ch = 0; ch < cols; ch += CHUNK) {
            if (rows == 1) {
                oneRow(quads, a, aOff, b, bOff + 2 * ch, sums);
            } else {
                twoRows(quads, a, aOff, b, bOff + 2 * ch, sums);
            }
            int cc = Math.min(cols - ch, CHUNK);
            for (int r = 0; r < rows; r++) {
                int ci = cOff + r * ldc + ch;
                if (cc == CHUNK) {
                    store(sums, r * CHUNK, c, ci, accumulate);
                    store(sums, r * CHUNK + IL, c, ci + IL, accumulate);
                } else {
                    for (int j = 0; j < cc; j++) {
                        c[ci + j] = accumulate ? c[ci + j] + sums[r * CHUNK + j] : sums[r * CHUNK + j];
                    }
                }
            }
        }
    }

    private static void store(int[] sums, int sOff, int[] c, int cOff, boolean accumulate) {
        IntVector v = IntVector.fromArray(I, sums, sOff);
        (accumulate ? v.add(IntVector.fromArray(I, c, cOff)) : v).intoArray(c, cOff);
    }

    /** B columns [bo/2, bo/2 + CHUNK) of the panel times two rows of A pairs. */
    private static void twoRows(int quads, int[] a, int aOff, byte[] b, int bo, int[] out) {
        ShortVector bias = ShortVector.broadcast(S, BIAS);
        IntVector r00 = IntVector.zero(I), r01 = IntVector.zero(I), r10 = IntVector.zero(I), r11 = IntVector.zero(I);
        IntVector h00 = IntVector.zero(I), h01 = IntVector.zero(I), h10 = IntVector.zero(I), h11 = IntVector.zero(I);
        for (int t = 0; t < quads; t++) {
            int bp = bo + t * 64;
            int ap = aOff + t * 2 * MR;
            // steps p, p+1 (first half) and p+2, p+3 (second half) for the chunk's two column vectors
            ShortVector b00 = (ShortVector) ByteVector.fromArray(B, b, bp).convertShape(VectorOperators.B2S, S, 0);
            ShortVector b01 = (ShortVector) ByteVector.fromArray(B, b, bp + 2 * IL).convertShape(VectorOperators.B2S, S, 0);
            ShortVector b10 = (ShortVector) ByteVector.fromArray(B, b, bp + 32).convertShape(VectorOperators.B2S, S, 0);
            ShortVector b11 = (ShortVector) ByteVector.fromArray(B, b, bp + 32 + 2 * IL).convertShape(VectorOperators.B2S, S, 0);
            ShortVector x0 = IntVector.broadcast(I, a[ap]).reinterpretAsShorts();
            ShortVector x1 = IntVector.broadcast(I, a[ap + MR]).reinterpretAsShorts();
            IntVector s = x0.mul(b00).add(x1.mul(b10)).add(bias).reinterpretAsInts();
            r00 = r00.add(s);
            h00 = h00.add(s.lanewise(VectorOperators.LSHR, 16));
            s = x0.mul(b01).add(x1.mul(b11)).add(bias).reinterpretAsInts();
            r01 = r01.add(s);
            h01 = h01.add(s.lanewise(VectorOperators.LSHR, 16));
            x0 = IntVector.broadcast(I, a[ap + 1]).reinterpretAsShorts();
            x1 = IntVector.broadcast(I, a[ap + MR + 1]).reinterpretAsShorts();
            s = x0.mul(b00).add(x1.mul(b10)).add(bias).reinterpretAsInts();
            r10 = r10.add(s);
            h10 = h10.add(s.lanewise(VectorOperators.LSHR, 16));
            s = x0.mul(b01).add(x1.mul(b11)).add(bias).reinterpretAsInts();
            r11 = r11.add(s);
            h11 = h11.add(s.lanewise(VectorOperators.LSHR, 16));
        }
        int biases = 2 * BIAS * quads;
        r00.sub(h00.mul(65535)).sub(biases).intoArray(out, 0);
        r01.sub(h01.mul(65535)).sub(biases).intoArray(out, IL);
        r10.sub(h10.mul(65535)).sub(biases).intoArray(out, CHUNK);
        r11.sub(h11.mul(65535)).sub(biases).intoArray(out, CHUNK + IL);
    }

    /** The one-row loop (batch 1): half the multiplies of {@link #twoRows}, same arithmetic. */
    private static void oneRow(int quads, int[] a, int aOff, byte[] b, int bo, int[] out) {
        ShortVector bias = ShortVector.broadcast(S, BIAS);
        IntVector r0 = IntVector.zero(I), r1 = IntVector.zero(I);
        IntVector h0 = IntVector.zero(I), h1 = IntVector.zero(I);
        for (int t = 0; t < quads; t++) {
            int bp = bo + t * 64;
            int ap = aOff + t * 2 * MR;
            ShortVector b00 = (ShortVector) ByteVector.fromArray(B, b, bp).convertShape(VectorOperators.B2S, S, 0);
            ShortVector b01 = (ShortVector) ByteVector.fromArray(B, b, bp + 2 * IL).convertShape(VectorOperators.B2S, S, 0);
            ShortVector b10 = (ShortVector) ByteVector.fromArray(B, b, bp + 32).convertShape(VectorOperators.B2S, S, 0);
            ShortVector b11 = (ShortVector) ByteVector.fromArray(B, b, bp + 32 + 2 * IL).convertShape(VectorOperators.B2S, S, 0);
            ShortVector x0 = IntVector.broadcast(I, a[ap]).reinterpretAsShorts();
            ShortVector x1 = IntVector.broadcast(I, a[ap + MR]).reinterpretAsShorts();
            IntVector s = x0.mul(b00).add(x1.mul(b10)).add(bias).reinterpretAsInts();
            r0 = r0.add(s);
            h0 = h0.add(s.lanewise(VectorOperators.LSHR, 16));
            s = x0.mul(b01).add(x1.mul(b11)).add(bias).reinterpretAsInts();
            r1 = r1.add(s);
            h1 = h1.add(s.lanewise(VectorOperators.LSHR, 16));
        }
        int biases = 2 * BIAS * quads;
        r0.sub(h0.mul(65535)).sub(biases).intoArray(out, 0);
        r1.sub(h1.mul(65535)).sub(biases).intoArray(out, IL);
    }
}
