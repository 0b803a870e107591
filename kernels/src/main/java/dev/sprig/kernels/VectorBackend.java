package dev.sprig.kernels;

import dev.sprig.kernels.conv.Conv2dDepthwiseVector;
import dev.sprig.kernels.conv.DepthwiseConvKernel;
import dev.sprig.kernels.elementwise.ActivationKernels;
import dev.sprig.kernels.elementwise.ActivationVector;
import dev.sprig.kernels.elementwise.ElementwiseVector;
import dev.sprig.kernels.gemm.SgemmMicrokernel;
import dev.sprig.kernels.gemm.SgemmMicrokernel2x4v;
import dev.sprig.kernels.gemm.SgemmMicrokernel6x2v;
import dev.sprig.kernels.elementwise.ExpVector;
import dev.sprig.kernels.int8.QgemmMicrokernel;
import dev.sprig.kernels.int8.QgemmMicrokernel2x16v;
import dev.sprig.kernels.pool.PoolKernels;
import dev.sprig.kernels.pool.PoolVector;
import dev.sprig.kernels.reduce.NormKernels;
import dev.sprig.kernels.reduce.NormVector;
import dev.sprig.kernels.reduce.ReduceVector;
import dev.sprig.kernels.sparse.SpmmKernels;
import dev.sprig.kernels.sparse.SpmmKernelsVector;

/**
 * The Vector API backend: delegates to the family classes ({@code elementwise}, {@code reduce},
 * ...) that are the only importers of {@code jdk.incubator.vector}. Instantiated by name from
 * {@link KernelProvider}, never referenced directly, so nothing fails to load when the module is
 * absent.
 */
final class VectorBackend implements KernelBackend {

    /**
     * The GEMM tile by register count: a preferred width of 512 bits means AVX-512 and its 32
     * vector registers, where the 6x2-vector tile is fastest; with AVX2's 16 the 12-accumulator
     * tiles run at half speed and the 2x4-vector tile is used (measurements in its Javadoc).
     */
    private final SgemmMicrokernel sgemm = VectorWidth.PREFERRED_BITS >= 512
            ? new SgemmMicrokernel6x2v() : new SgemmMicrokernel2x4v();

    private final QgemmMicrokernel qgemm = new QgemmMicrokernel2x16v();
    private final DepthwiseConvKernel depthwise = new Conv2dDepthwiseVector();
    private final ActivationKernels activations = new ActivationVector();

    private final PoolKernels pool = new PoolVector();
    private final NormKernels norm = new NormVector();
    private final SpmmKernels spmm = new SpmmKernelsVector();

    VectorBackend() {
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public int vectorBits() {
        return VectorWidth.BITS;
    }

    /** Width the hardware prefers (may be wider than {@link #vectorBits()}, which is capped). */
    int preferredBits() {
        return VectorWidth.PREFERRED_BITS;
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        return ReduceVector.dot(a, aOff, b, bOff, n);
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        ElementwiseVector.axpy(alpha, x, xOff, y, yOff, n);
    }

    @Override
    public float sum(float[] a, int off, int n) {
        return ReduceVector.sum(a, off, n);
    }

    @Override
    public float max(float[] a, int off, int n) {
        return ReduceVector.max(a, off, n);
    }

    @Override
    public void binary(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                       float[] c, int cOff, int n) {
        ElementwiseVector.binary(op, a, aOff, aStride, b, bOff, bStride, c, cOff, n);
    }

    @Override
    public void relu(float[] x, int xOff, float[] y, int yOff, int n) {
        ElementwiseVector.relu(x, xOff, y, yOff, n);
    }

    @Override
    public void exp(float[] x, int xOff, float[] y, int yOff, int n) {
        ExpVector.exp(x, xOff, y, yOff, n);
    }

    @Override
    public DepthwiseConvKernel depthwiseConv() {
        return depthwise;
    }

    @Override
    public SgemmMicrokernel sgemm() {
        return sgemm;
    }

    @Override
    public QgemmMicrokernel qgemm() {
        return qgemm;
    }

    @Override
    public PoolKernels pool() {
        return pool;
    }

    @Override
    public NormKernels norm() {
        return norm;
    }

    @Override
    public ActivationKernels activations() {
        return activations;
    }

    @Override
    public SpmmKernels spmm() {
        return spmm;
    }
}
