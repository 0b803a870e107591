package dev.sprig.core.ops;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.kernels.BinaryOp;
import dev.sprig.kernels.KernelBackend;
import dev.sprig.kernels.KernelProvider;

/**
 * Add, Sub, Mul and Div of two FLOAT tensors with ONNX multidirectional broadcasting. The output
 * is walked as an outer index times an inner run; the run is the longest suffix of axes on which
 * each operand is either fully present or fully broadcast, so the kernel sees contiguous
 * (stride 1) or broadcast (stride 0) operands and long loops.
 */
public final class BroadcastBinary {

    private BroadcastBinary() {
    }

    /** {@code op(a, b)} as a new contiguous tensor of the broadcast shape, its storage from {@code allocator}. */
    public static Tensor apply(BinaryOp op, Tensor a, Tensor b, OutputAllocator allocator) {
        requireFloat(op, "A", a);
        requireFloat(op, "B", b);
        Shape out = Shape.broadcast(a.shape(), b.shape());
        Tensor c = allocator.zeros(DType.FLOAT, out);
        if (out.size() == 0) {
            return c;
        }
        Tensor ac = a.contiguous();
        Tensor bc = b.contiguous();
        int rank = out.rank();
        int[] aStride = broadcastStrides(ac.shape(), rank);
        int[] bStride = broadcastStrides(bc.shape(), rank);

        // the inner run: trailing axes on which each operand is either present on every non-1 axis
        // or broadcast on every one (size-1 axes fit either pattern)
        int inner = 1;
        int firstInnerAxis = rank;
        Boolean aFull = null;
        Boolean bFull = null;
        for (int axis = rank - 1; axis >= 0; axis--) {
            int d = out.dim(axis);
            if (d != 1) {
                boolean aHas = aStride[axis] != 0;
                boolean bHas = bStride[axis] != 0;
                if (aFull == null) {
                    aFull = aHas;
                    bFull = bHas;
                } else if (aHas != aFull || bHas != bFull) {
                    break;
                }
            }
            inner *= d;
            firstInnerAxis = axis;
        }
        // all-ones shapes (scalars) have one element: either stride reads it
        run(op, ac, aStride, aFull == null || aFull, bc, bStride, bFull == null || bFull, c, out, firstInnerAxis, inner);
        return c;
    }

    private static void run(BinaryOp op, Tensor a, int[] aStride, boolean aFull, Tensor b, int[] bStride,
                            boolean bFull, Tensor c, Shape out, int firstInnerAxis, int inner) {
        KernelBackend kernels = KernelProvider.backend();
        float[] ad = a.floatData();
        float[] bd = b.floatData();
        float[] cd = c.floatData();
        int outer = out.size() / inner;
        int[] idx = new int[firstInnerAxis];
        for (int o = 0; o < outer; o++) {
            int aOff = a.offset();
            int bOff = b.offset();
            for (int axis = 0; axis < firstInnerAxis; axis++) {
                aOff += idx[axis] * aStride[axis];
                bOff += idx[axis] * bStride[axis];
            }
            kernels.binary(op, ad, aOff, aFull ? 1 : 0, bd, bOff, bFull ? 1 : 0, cd, o * inner, inner);
            for (int axis = firstInnerAxis - 1; axis >= 0; axis--) {
                if (++idx[axis] < out.dim(axis)) {
                    break;
                }
                idx[axis] = 0;
            }
        }
    }

    /** Contiguous strides of {@code s} aligned to {@code rank} axes, 0 on broadcast axes. */
    private static int[] broadcastStrides(Shape s, int rank) {
        int[] st = new int[rank];
        int[] own = s.contiguousStrides();
        for (int i = 0; i < rank; i++) {
            int j = i - (rank - s.rank());
            st[i] = j < 0 || s.dim(j) == 1 ? 0 : own[j];
        }
        return st;
    }

    private static void requireFloat(BinaryOp op, String which, Tensor t) {
        if (t.dtype() != DType.FLOAT) {
            throw new IllegalArgumentException(op + " input " + which + " must be FLOAT, got " + t.dtype()
                    + " " + t.shape());
        }
    }
}
