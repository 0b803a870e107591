/**
 * Single-precision matrix multiplication with the Goto/BLIS structure. {@link dev.sprig.kernels.gemm.Sgemm}
 * is the entry point: {@code C = act(alpha * op(A) * op(B) + beta * C + bias)}, row-major, with B
 * packed into column panels ({@link dev.sprig.kernels.gemm.PackedMatrix}, once per call or once per
 * weight at session creation), A packed into row slivers ({@link dev.sprig.kernels.gemm.PackedA} for a
 * constant left operand), cache blocking, a small-M (GEMV) path and work split over a
 * {@link dev.sprig.kernels.ThreadPool}. The inner tile is a {@link dev.sprig.kernels.gemm.SgemmMicrokernel}
 * chosen by the backend ({@link dev.sprig.kernels.gemm.SgemmMicrokernel2x4v} on AVX2,
 * {@link dev.sprig.kernels.gemm.SgemmMicrokernelScalar} without the Vector API);
 * {@link dev.sprig.kernels.gemm.Epilogue} is the bias and activation applied as the tile is stored.
 * The definition it is tested against is {@link dev.sprig.kernels.reference.Sgemm}.
 */
package dev.sprig.kernels.gemm;
