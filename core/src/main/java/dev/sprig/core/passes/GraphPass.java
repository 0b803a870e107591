package dev.sprig.core.passes;

import dev.sprig.core.graph.Graph;

/**
 * One graph rewrite: takes a graph and returns an equivalent one (the same outputs for every
 * input, up to the float rounding a fusion changes). Passes are small and ordered in
 * {@link GraphOptimizer}; each can be tested on its own by running a graph before and after it.
 */
@FunctionalInterface
public interface GraphPass {

    /** The rewritten graph ({@code graph} itself when nothing applies). */
    Graph apply(Graph graph, PassContext context);
}
