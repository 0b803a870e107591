/**
 * Sprig kernels: array-level math over primitive arrays with offsets and strides, with no
 * dependency beyond the JDK. Nothing here knows about tensors or graphs; the operators in
 * {@code dev.sprig.core.ops} call these kernels.
 *
 * <p>Start with {@link dev.sprig.kernels.KernelProvider}: it picks one {@link dev.sprig.kernels.KernelBackend}
 * per process, the Vector API backend when {@code jdk.incubator.vector} is present and useful, else
 * {@link dev.sprig.kernels.ScalarBackend}, and logs one line saying which. The subpackages hold one
 * kernel family each ({@code gemm}, {@code conv}, {@code int8}, {@code sparse}, {@code pool},
 * {@code reduce}, {@code elementwise}); {@code reference} holds the readable scalar twin of every
 * kernel, the oracle of the tests. {@link dev.sprig.kernels.ThreadPool} is the intra-op pool the
 * parallel kernels split their work over; results never depend on its size.
 */
package dev.sprig.kernels;
