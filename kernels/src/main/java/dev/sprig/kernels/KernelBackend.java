package dev.sprig.kernels;

import dev.sprig.kernels.conv.DepthwiseConvKernel;
import dev.sprig.kernels.elementwise.ActivationKernels;
import dev.sprig.kernels.gemm.SgemmMicrokernel;
import dev.sprig.kernels.int8.QgemmMicrokernel;
import dev.sprig.kernels.pool.PoolKernels;
import dev.sprig.kernels.reduce.NormKernels;
import dev.sprig.kernels.sparse.SpmmKernels;

/**
 * One implementation of every elementwise and reduction kernel, over primitive arrays with
 * offsets. Two exist: {@link ScalarBackend} (the readable reference loops) and a Vector API
 * backend; {@link KernelProvider#backend()} picks one, once, for the whole process.
 *
 * <p>Every method checks its ranges before touching memory and throws
 * {@link IndexOutOfBoundsException} naming the bad range; kernels never allocate.
 *
 * <p>Results: integer-exact operations ({@link #binary}, {@link #relu}, {@link #max}) are
 * bitwise identical across backends. Reductions ({@link #dot}, {@link #sum}) and {@link #axpy}
 * may differ in rounding (summation order, fused multiply-add); {@link #exp} is within the bound
 * its Javadoc states.
 */
public interface KernelBackend {

    /** Short name for logs and reports: {@code "scalar"} or {@code "vector"}. */
    String name();

    /** Float vector width in bits the kernels use, or 0 for the scalar backend. */
    int vectorBits();

    /** Floats per vector register ({@code vectorBits / 32}), 1 for the scalar backend. */
    default int floatLanes() {
        return Math.max(1, vectorBits() / Float.SIZE);
    }

    /** Returns {@code sum(a[aOff+i] * b[bOff+i])} for i in [0, n). */
    float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /** {@code y[yOff+i] += alpha * x[xOff+i]} for i in [0, n). */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);

    /** Returns the sum of {@code a[off..off+n)}; 0 when n is 0. */
    float sum(float[] a, int off, int n);

    /**
     * Returns the maximum of {@code a[off..off+n)} with {@link Math#max} semantics (NaN wins,
     * +0 above -0); negative infinity when n is 0.
     */
    float max(float[] a, int off, int n);

    /**
     * {@code c[cOff+i] = op(a[aOff+i*aStride], b[bOff+i*bStride])} for i in [0, n). A stride is 1
     * (contiguous) or 0 (the one element is broadcast): the inner loop of numpy-style
     * broadcasting. {@code c} may alias {@code a} or {@code b} at the same offset.
     *
     * @throws IllegalArgumentException if a stride is neither 0 nor 1
     */
    void binary(BinaryOp op, float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
                float[] c, int cOff, int n);

    /** {@code y[yOff+i] = max(x[xOff+i], 0)}, NaN stays NaN; in place when x == y and offsets match. */
    void relu(float[] x, int xOff, float[] y, int yOff, int n);

    /**
     * {@code y[yOff+i] = e^x[xOff+i]}. The scalar backend returns {@code (float) Math.exp(x)}; the
     * vector backend's polynomial is within 2 ulp of it for every float input, exact at the edges:
     * e^0 = 1, e^-Inf = +0, e^+Inf = +Inf, NaN stays NaN, overflow (x > 88.7228) gives +Inf and
     * underflow gives subnormals then +0.
     */
    void exp(float[] x, int xOff, float[] y, int yOff, int n);

    /** The direct depthwise conv kernel of this backend, used by {@link dev.sprig.kernels.conv.Conv2d}. */
    DepthwiseConvKernel depthwiseConv();

    /** The GEMM microkernel of this backend, used by {@link dev.sprig.kernels.gemm.Sgemm}. */
    SgemmMicrokernel sgemm();

    /** The integer GEMM microkernel of this backend, used by {@link dev.sprig.kernels.int8.Qgemm}. */
    QgemmMicrokernel qgemm();

    /** MaxPool, AveragePool and the global pools of this backend (ONNX semantics, NCHW). */
    PoolKernels pool();

    /** Softmax, LogSoftmax and LayerNormalization over the last axis, for this backend. */
    NormKernels norm();

    /** Sigmoid, tanh, erf and GELU of this backend, with the error bounds {@link dev.sprig.kernels.elementwise.ActivationVector} states. */
    ActivationKernels activations();

    /** The sparse-weight kernels of this backend, used by {@link dev.sprig.kernels.sparse.Spmm}. */
    SpmmKernels spmm();
}
