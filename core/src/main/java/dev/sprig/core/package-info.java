/**
 * Sprig core: the data types every other package shares. {@link dev.sprig.core.Tensor} is an
 * n-dimensional array (a {@link dev.sprig.core.DType}, an immutable {@link dev.sprig.core.Shape},
 * strides and a view into a primitive array), with factories from Java arrays and copies back to
 * them. {@link dev.sprig.core.ModelException} is the unchecked error of a model Sprig cannot load or
 * run.
 *
 * <p>Where to start: {@code dev.sprig.onnx.OnnxModelLoader} loads a model into the graph IR
 * ({@code dev.sprig.core.graph}), and {@link dev.sprig.core.session.Session} runs it. The operators
 * live in {@code dev.sprig.core.ops} and its family subpackages, the graph rewrites a session applies
 * in {@code dev.sprig.core.passes}.
 */
package dev.sprig.core;
