/**
 * Elementwise kernels: the binary arithmetic of {@link dev.sprig.kernels.BinaryOp} and axpy
 * ({@link dev.sprig.kernels.elementwise.ElementwiseVector}, bitwise equal to the reference), and the
 * transcendental activations (sigmoid, tanh, GELU...) behind {@link dev.sprig.kernels.elementwise.ActivationKernels}:
 * the double-precision reference ({@link dev.sprig.kernels.elementwise.ActivationKernelsScalar}) and the
 * Vector API versions ({@link dev.sprig.kernels.elementwise.ActivationVector}) built on the vectorised
 * exponential of {@link dev.sprig.kernels.elementwise.ExpVector}, whose Javadoc gives its method and
 * error bound.
 */
package dev.sprig.kernels.elementwise;
