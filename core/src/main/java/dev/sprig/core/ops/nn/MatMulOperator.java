package dev.sprig.core.ops.nn;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import dev.sprig.kernels.gemm.Epilogue;
import dev.sprig.kernels.gemm.Sgemm;
import java.util.Arrays;

/**
 * ONNX {@code MatMul}, numpy semantics: the last two axes are matrices, the leading (batch) axes
 * broadcast; a 1-D A is a row vector and a 1-D B a column vector, their added axis removed from
 * the result. FLOAT runs one {@link Sgemm} per batch matrix; when B is a single matrix (the usual
 * weight case) the batch of A is folded into the rows of one GEMM. INT32 and INT64 run a plain loop
 * (wrapping on overflow, as two's complement hardware does).
 */
final class MatMulOperator implements Operator {

    private final String name;

    MatMulOperator(String name) {
        this.name = name;
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor a = NnInputs.required(name, "A", inputs, 0).contiguous();
        Tensor b = NnInputs.required(name, "B", inputs, 1).contiguous();
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(name + ": A and B must have one type, got " + a.dtype() + " and "
                    + b.dtype());
        }
        if (a.dtype() != DType.FLOAT && a.dtype() != DType.INT32 && a.dtype() != DType.INT64) {
            throw new IllegalArgumentException(name + ": MatMul takes FLOAT, INT32 or INT64, got " + a.dtype());
        }
        int ra = a.shape().rank();
        int rb = b.shape().rank();
        if (ra == 0 || rb == 0) {
            throw new IllegalArgumentException(name + ": MatMul needs inputs of rank >= 1, got " + a.shape() + " and "
                    + b.shape());
        }
        int[] ad = ra == 1 ? new int[]{1, a.shape().dim(0)} : a.shape().dims();
        int[] bd = rb == 1 ? new int[]{b.shape().dim(0), 1} : b.shape().dims();
        int m = ad[ad.length - 2];
        int k = ad[ad.length - 1];
        int n = bd[bd.length - 1];
        if (bd[bd.length - 2] != k) {
            throw new IllegalArgumentException(name + ": inner dimensions differ: A " + a.shape() + " has " + k
                    + " columns, B " + b.shape() + " has " + bd[bd.length - 2] + " rows");
        }
        Shape aBatch = Shape.of(Arrays.copyOf(ad, ad.length - 2));
        Shape bBatch = Shape.of(Arrays.copyOf(bd, bd.length - 2));
        Shape batch;
        try {
            batch = Shape.broadcast(aBatch, bBatch);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": batch axes of A " + a.shape() + " and B " + b.shape()
                    + " do not broadcast", e);
        }
        // the result's dims: batch, then M unless A was 1-D, then N unless B was 1-D
        int[] outDims = new int[batch.rank() + (ra == 1 ? 0 : 1) + (rb == 1 ? 0 : 1)];
        System.arraycopy(batch.dims(), 0, outDims, 0, batch.rank());
        int d = batch.rank();
        if (ra != 1) {
            outDims[d++] = m;
        }
        if (rb != 1) {
            outDims[d] = n;
        }
        Tensor y = context.zeros(a.dtype(), Shape.of(outDims));
        if (y.size() == 0) {
            return new Tensor[]{y};
        }
        if (a.dtype() == DType.FLOAT && bBatch.size() == 1 && aBatch.equals(batch)) {
            // one weight matrix: the whole batch of A is one tall matrix
            Sgemm.sgemm(false, false, batch.size() * m, n, k, 1f, a.floatData(), a.offset(), k,
                    b.floatData(), b.offset(), n, 0f, y.floatData(), 0, n, Epilogue.NONE, context.pool());
            return new Tensor[]{y};
        }
        int[] aStrides = batchStrides(aBatch, batch, m * k);
        int[] bStrides = batchStrides(bBatch, batch, k * n);
        int[] idx = new int[batch.rank()];
        for (int t = 0; t < batch.size(); t++) {
            int aOff = 0;
            int bOff = 0;
            for (int i = 0; i < idx.length; i++) {
                aOff += idx[i] * aStrides[i];
                bOff += idx[i] * bStrides[i];
            }
            int yOff = t * m * n;
            switch (a.dtype()) {
                case FLOAT -> Sgemm.sgemm(false, false, m, n, k, 1f, a.floatData(), a.offset() + aOff, k,
                        b.floatData(), b.offset() + bOff, n, 0f, y.floatData(), yOff, n, Epilogue.NONE,
                        context.pool());
                case INT32 -> {
                    int[] av = a.intData();
                    int[] bv = b.intData();
                    int[] yv = y.intData();
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            int s = 0;
                            for (int p = 0; p < k; p++) {
                                s += av[a.offset() + aOff + i * k + p] * bv[b.offset() + bOff + p * n + j];
                            }
                            yv[yOff + i * n + j] = s;
                        }
                    }
                }
                default -> {
                    long[] av = a.longData();
                    long[] bv = b.longData();
                    long[] yv = y.longData();
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            long s = 0;
                            for (int p = 0; p < k; p++) {
                                s += av[a.offset() + aOff + i * k + p] * bv[b.offset() + bOff + p * n + j];
                            }
                            yv[yOff + i * n + j] = s;
                        }
                    }
                }
            }
            for (int i = idx.length - 1; i >= 0; i--) {
                if (++idx[i] < batch.dim(i)) {
                    break;
                }
                idx[i] = 0;
            }
        }
        return new Tensor[]{y};
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
