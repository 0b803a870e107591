package dev.sprig.core.ops.quant;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.kernels.ThreadPool;
import dev.sprig.kernels.int8.PackedQMatrix;
import dev.sprig.kernels.int8.Qgemm;
import java.util.Arrays;

/**
 * The int32 product of two 8-bit tensors with numpy MatMul semantics, the core of
 * {@code MatMulInteger} and {@code QLinearMatMul}:
 * {@code C[..][i][j] = sum_p (A[..][i][p] - aZero[i]) * (B[..][p][j] - bZero[j])}, exact. The
 * last two axes are matrices, leading axes broadcast, a 1-D A is a row and a 1-D B a column (the
 * added axis removed from the result). A zero point holds one value or one per row of A (per
 * column of B). When B is one matrix the whole batch of A is one tall GEMM.
 */
final class IntegerMatMul {

    /** The result's shape and where each batch matrix of A and B starts. */
    private record Plan(int m, int n, int k, int[] outDims, int batches, int[] aOffsets, int[] bOffsets,
                        boolean foldBatch) {
    }

    private IntegerMatMul() {
    }

    /** The product as a new contiguous INT32 tensor; see the class comment. */
    static Tensor multiply(String node, Tensor a, int[] aZero, Tensor b, int[] bZero, ThreadPool pool) {
        Tensor ac = a.contiguous();
        Tensor bc = b.contiguous();
        Plan plan = plan(node, ac.shape(), bc.shape());
        checkZero(node, "A's zero point", aZero, plan.m(), "rows of A");
        checkZero(node, "B's zero point", bZero, plan.n(), "columns of B");
        Tensor y = Tensor.zeros(DType.INT32, Shape.of(plan.outDims()));
        int[] c = y.intData();
        int m = plan.m();
        int n = plan.n();
        int k = plan.k();
        boolean aSigned = QuantType.signed(a.dtype());
        boolean bSigned = QuantType.signed(b.dtype());
        if (y.size() == 0) {
            return y;
        }
        int batches = plan.foldBatch() ? 1 : plan.batches();
        int rows = plan.foldBatch() ? plan.batches() * m : m;
        for (int t = 0; t < batches; t++) {
            int aOff = ac.offset() + plan.aOffsets()[t];
            int bOff = bc.offset() + plan.bOffsets()[t];
            int cOff = t * m * n;
            if (aZero.length == 1) {
                gemm(rows, n, k, ac.byteData(), aOff, aSigned, aZero[0], bc.byteData(), bOff, bSigned, bZero, c, cOff,
                        pool);
            } else {
                // one zero point per row of A: each row is its own product
                for (int i = 0; i < rows; i++) {
                    gemm(1, n, k, ac.byteData(), aOff + i * k, aSigned, aZero[i % m], bc.byteData(), bOff, bSigned,
                            bZero, c, cOff + i * n, pool);
                }
            }
        }
        return y;
    }

    /**
     * The product of A (any rank >= 1, its leading axes are rows) by a pre-packed 2-D B whose zero
     * points are packed with it; A's zero point is one value. The result has A's shape with the
     * last axis replaced by N (a 1-D A gives a vector of N).
     */
    static Tensor multiply(String node, Tensor a, int aZero, PackedQMatrix b, ThreadPool pool) {
        Tensor ac = a.contiguous();
        int[] dims = ac.shape().dims();
        if (dims.length == 0 || dims[dims.length - 1] != b.k()) {
            throw new IllegalArgumentException(node + ": inner dimensions differ: A " + a.shape() + " must end in "
                    + b.k() + " (the rows of B, " + b.k() + " x " + b.n() + ")");
        }
        dims[dims.length - 1] = b.n();
        Tensor y = Tensor.zeros(DType.INT32, Shape.of(dims));
        if (y.size() > 0) {
            int rows = y.size() / b.n();
            Qgemm.qgemm(rows, ac.byteData(), ac.offset(), b.k(), QuantType.signed(a.dtype()), aZero, b, y.intData(), 0,
                    b.n(), pool);
        }
        return y;
    }

    private static void gemm(int m, int n, int k, byte[] a, int aOff, boolean aSigned, int aZero, byte[] b, int bOff,
                             boolean bSigned, int[] bZero, int[] c, int cOff, ThreadPool pool) {
        Qgemm.qgemm(m, n, k, a, aOff, k, aSigned, aZero, b, bOff, n, bSigned, bZero, c, cOff, n, pool);
    }

    private static void checkZero(String node, String what, int[] zero, int count, String unit) {
        if (zero.length != 1 && zero.length != count) {
            throw new IllegalArgumentException(node + ": " + what + " must have 1 value or " + count + " (one per "
                    + unit + "), got " + zero.length);
        }
    }

    private static Plan plan(String node, Shape as, Shape bs) {
        int ra = as.rank();
        int rb = bs.rank();
        if (ra == 0 || rb == 0) {
            throw new IllegalArgumentException(node + ": A and B must have rank >= 1, got " + as + " and " + bs);
        }
        int[] ad = ra == 1 ? new int[]{1, as.dim(0)} : as.dims();
        int[] bd = rb == 1 ? new int[]{bs.dim(0), 1} : bs.dims();
        int m = ad[ad.length - 2];
        int k = ad[ad.length - 1];
        int n = bd[bd.length - 1];
        if (bd[bd.length - 2] != k) {
            throw new IllegalArgumentException(node + ": inner dimensions differ: A " + as + " has " + k
                    + " columns, B " + bs + " has " + bd[bd.length - 2] + " rows");
        }
        Shape aBatch = Shape.of(Arrays.copyOf(ad, ad.length - 2));
        Shape bBatch = Shape.of(Arrays.copyOf(bd, bd.length - 2));
        Shape batch;
        try {
            batch = Shape.broadcast(aBatch, bBatch);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(node + ": batch axes of A " + as + " and B " + bs + " do not broadcast",
                    e);
        }
        int[] outDims = new int[batch.rank() + (ra == 1 ? 0 : 1) + (rb == 1 ? 0 : 1)];
        System.arraycopy(batch.dims(), 0, outDims, 0, batch.rank());
        int d = batch.rank();
        if (ra != 1) {
            outDims[d++] = m;
        }
        if (rb != 1) {
            outDims[d] = n;
        }
        int count = batch.size();
        int[] aOffsets = new int[count];
        int[] bOffsets = new int[count];
        int[] aStrides = batchStrides(aBatch, batch, m * k);
        int[] bStrides = batchStrides(bBatch, batch, k * n);
        int[] idx = new int[batch.rank()];
        for (int t = 0; t < count; t++) {
            for (int i = 0; i < idx.length; i++) {
                aOffsets[t] += idx[i] * aStrides[i];
                bOffsets[t] += idx[i] * bStrides[i];
            }
            for (int i = idx.length - 1; i >= 0; i--) {
                if (++idx[i] < batch.dim(i)) {
                    break;
                }
                idx[i] = 0;
            }
        }
        // one weight matrix and A's batch already the full batch: A is one tall matrix
        boolean fold = bBatch.size() == 1 && aBatch.equals(batch);
        return new Plan(m, n, k, outDims, count, aOffsets, bOffsets, fold);
    }

    /** Element strides of an operand's batch axes aligned to the broadcast batch, 0 where it broadcasts. */
    private static int[] batchStrides(Shape own, Shape batch, int matrix) {
        int rank = batch.rank();
        int[] st = new int[rank];
        int s = matrix;
        for (int i = rank - 1; i >= 0; i--) {
            int dim = own.alignedDim(i, rank);
            st[i] = dim == 1 ? 0 : s;
            s *= dim;
        }
        return st;
    }
}
