/**
 * The graph IR, close to ONNX's: a {@link dev.sprig.core.graph.Model} is a main
 * {@link dev.sprig.core.graph.Graph} plus the opset version it imports per domain; the graph holds
 * {@link dev.sprig.core.graph.Node}s in topological order over named values, the declared inputs and
 * outputs ({@link dev.sprig.core.graph.ValueInfo}, with symbolic dimensions allowed) and the
 * initializers (constant tensors). Node attributes are {@link dev.sprig.core.graph.Attribute}s. The
 * IR is immutable: graph passes return new graphs. Models come from {@code dev.sprig.onnx} or are
 * built in code.
 */
package dev.sprig.core.graph;
