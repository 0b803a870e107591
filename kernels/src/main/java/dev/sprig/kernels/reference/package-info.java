/**
 * The scalar reference kernels: the plain loops that define what every optimised kernel computes,
 * written to be read. They are the oracle of the property tests (vector kernels are compared with
 * them, exactly for integer and elementwise kernels, within a tolerance that grows with the
 * reduction length for float sums) and, through {@link dev.sprig.kernels.ScalarBackend}, the fallback
 * when the Vector API is absent. To learn what a kernel does, read its twin here first:
 * {@link dev.sprig.kernels.reference.Sgemm} for GEMM, {@link dev.sprig.kernels.reference.Conv2d} for
 * convolution, {@link dev.sprig.kernels.reference.Qgemm} and {@link dev.sprig.kernels.reference.Requantize}
 * for INT8, {@link dev.sprig.kernels.reference.SparseMatmul} for the sparse formats.
 */
package dev.sprig.kernels.reference;
