package dev.sprig.core.ops.nn;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import dev.sprig.kernels.KernelProvider;
import dev.sprig.kernels.pool.PoolKernels;

/**
 * ONNX {@code GlobalAveragePool} and {@code GlobalMaxPool}: each N x C plane of a FLOAT
 * {@code N x C x D1 x ... x Dn} tensor becomes its mean or maximum, output
 * {@code N x C x 1 x ... x 1}, on the backend's {@link PoolKernels} with planes split over threads.
 */
final class GlobalPoolOperator implements Operator {

    private final String name;
    private final boolean max;

    GlobalPoolOperator(String name, boolean max) {
        this.name = name;
        this.max = max;
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor x = NnInputs.floatInput(name, "X", inputs, 0).contiguous();
        int rank = x.shape().rank();
        if (rank < 3) {
            throw new IllegalArgumentException(name + ": X must be N x C x D1 x ..., got " + x.shape());
        }
        int planes = x.shape().dim(0) * x.shape().dim(1);
        int planeSize = planes == 0 ? 0 : x.size() / planes;
        int[] dims = x.shape().dims();
        for (int i = 2; i < rank; i++) {
            dims[i] = 1;
        }
        Tensor y = context.zeros(DType.FLOAT, Shape.of(dims));
        if (planes == 0) {
            return new Tensor[]{y};
        }
        if (planeSize == 0) {
            throw new IllegalArgumentException(name + ": X " + x.shape() + " has empty planes");
        }
        PoolKernels kernels = KernelProvider.backend().pool();
        float[] xd = x.floatData();
        float[] yd = y.floatData();
        RowBlocks.run(context.pool(), planes, planeSize, (p0, count) -> {
            if (max) {
                kernels.globalMaxPool(count, planeSize, xd, x.offset() + p0 * planeSize, yd, p0);
            } else {
                kernels.globalAveragePool(count, planeSize, xd, x.offset() + p0 * planeSize, yd, p0);
            }
        });
        return new Tensor[]{y};
    }
}
