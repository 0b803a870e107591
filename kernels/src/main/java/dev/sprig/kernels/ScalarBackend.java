package dev.sprig.kernels;

import dev.sprig.kernels.conv.Conv2dDepthwiseScalar;
import dev.sprig.kernels.conv.DepthwiseConvKernel;
import dev.sprig.kernels.elementwise.ActivationKernels;
import dev.sprig.kernels.elementwise.ActivationKernelsScalar;
import dev.sprig.kernels.gemm.SgemmMicrokernel;
import dev.sprig.kernels.gemm.SgemmMicrokernelScalar;
import dev.sprig.kernels.int8.QgemmMicrokernel;
import dev.sprig.kernels.int8.QgemmMicrokernelScalar;
import dev.sprig.kernels.pool.PoolKernels;
import dev.sprig.kernels.pool.PoolKernelsScalar;
import dev.sprig.kernels.reduce.NormKernels;
import dev.sprig.kernels.reduce.NormKernelsScalar;
import dev.sprig.kernels.reference.Blas1;
import dev.sprig.kernels.reference.Elementwise;
import dev.sprig.kernels.reference.Reductions;
import dev.sprig.kernels.sparse.SpmmKernels;
import dev.sprig.kernels.sparse.SpmmKernelsScalar;

/**
 * The backend made of the reference kernels: used when the Vector API is absent, when it is forced
 * with {@code -Dsprig.backend=scalar}, and as the oracle of every property test.
 */
public final class ScalarBackend implements KernelBackend {

    /** The one instance; the backend has no state. */
    public static final ScalarBackend INSTANCE = new ScalarBackend();

    private ScalarBackend() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int vectorBits() {
        return 0;
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        return Blas1.dot(a, aOff, b, bOff, n);
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        Blas1.axpy(alpha, x, xOff, y, yOff, n);
    }

    @Override
    public float sum(float[] a, int off, int n) {
        return Reductions.sum(a, off, n);
    }

    @Override
    public float max(float[] a, int off, int n) {
        return Reductions.max(a, off, n);
    }

    @Override
    public void binary(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                       float[] c, int cOff, int n) {
        Elementwise.binary(op, a, aOff, aStride, b, bOff, bStride, c, cOff, n);
    }

    @Override
    public void relu(float[] x, int xOff, float[] y, int yOff, int n) {
        Elementwise.relu(x, xOff, y, yOff, n);
    }

    @Override
    public void exp(float[] x, int xOff, float[] y, int yOff, int n) {
        Elementwise.exp(x, xOff, y, yOff, n);
    }

    @Override
    public DepthwiseConvKernel depthwiseConv() {
        return Conv2dDepthwiseScalar.INSTANCE;
    }

    @Override
    public SgemmMicrokernel sgemm() {
        return SgemmMicrokernelScalar.INSTANCE;
    }

    @Override
    public QgemmMicrokernel qgemm() {
        return QgemmMicrokernelScalar.INSTANCE;
    }

    @Override
    public PoolKernels pool() {
        return PoolKernelsScalar.INSTANCE;
    }

    @Override
    public NormKernels norm() {
        return NormKernelsScalar.INSTANCE;
    }

    @Override
    public ActivationKernels activations() {
        return ActivationKernelsScalar.INSTANCE;
    }

    @Override
    public SpmmKernels spmm() {
        return SpmmKernelsScalar.INSTANCE;
    }
}
