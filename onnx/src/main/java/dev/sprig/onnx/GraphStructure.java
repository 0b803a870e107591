package dev.sprig.onnx;

import dev.sprig.core.graph.Node;
import dev.sprig.core.graph.ValueInfo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Checks the wiring of a loaded graph and puts its nodes in topological order. Every value has one
 * producer (a graph input, an initializer or one node output: duplicates are reported with both
 * producers), every node input and graph output is produced by something, and the nodes form no
 * cycle (reported as the chain of node names around it). ONNX requires files to list nodes in
 * topological order; a file that does not but is acyclic is reordered, keeping the file's order
 * wherever the data flow allows.
 */
final class GraphStructure {

    private GraphStructure() {
    }

    /**
     * The nodes in a topological order (the given order when it already is one).
     *
     * @param inputs       graph inputs (initializers excluded)
     * @param initializers names of the initializers
     */
    static List<Node> checkAndSort(List<Node> nodes, List<ValueInfo> inputs, Collection<String> initializers,
                                   List<ValueInfo> outputs) {
        Map<String, String> definedBy = new HashMap<>();
        for (String name : initializers) {
            definedBy.put(name, "initializer");
        }
        for (ValueInfo in : inputs) {
            String previous = definedBy.putIfAbsent(in.name(), "graph input");
            if (previous != null) {
                throw new ModelLoadException("graph input '" + in.name() + "' is declared twice");
            }
        }
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String out : nodes.get(i).outputs()) {
                if (out.isEmpty()) {
                    continue;
                }
                Integer other = producer.get(out);
                if (other != null) {
                    throw new ModelLoadException("value '" + out + "' is produced twice: by " + label(nodes, other)
                            + " and by " + label(nodes, i) + " (each value must have one producer)");
                }
                if (definedBy.containsKey(out)) {
                    throw new ModelLoadException(label(nodes, i) + " output '" + out + "' redefines the "
                            + definedBy.get(out) + " of that name (each value must have one producer)");
                }
                producer.put(out, i);
            }
        }
        for (int i = 0; i < nodes.size(); i++) {
            List<String> ins = nodes.get(i).inputs();
            for (int j = 0; j < ins.size(); j++) {
                String name = ins.get(j);
                if (!name.isEmpty() && !definedBy.containsKey(name) && !producer.containsKey(name)) {
                    throw new ModelLoadException(label(nodes, i) + ": input " + j + " '" + name + "' is produced by"
                            + " no node and is neither a graph input nor an initializer");
                }
            }
        }
        Set<String> outputNames = new HashSet<>();
        for (ValueInfo out : outputs) {
            if (!outputNames.add(out.name())) {
                throw new ModelLoadException("graph output '" + out.name() + "' is declared twice");
            }
            if (!definedBy.containsKey(out.name()) && !producer.containsKey(out.name())) {
                throw new ModelLoadException("graph output '" + out.name() + "' is produced by no node and is"
                        + " neither a graph input nor an initializer");
            }
        }
        return sort(nodes, producer);
    }

    /**
     * Kahn's algorithm, always taking the ready node that comes first in the file, so an already
     * sorted list comes back unchanged.
     */
    private static List<Node> sort(List<Node> nodes, Map<String, Integer> producer) {
        int n = nodes.size();
        int[] waitingOn = new int[n];
        List<List<Integer>> readers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            readers.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            // a node reading one value twice waits for it once
            Set<Integer> sources = new HashSet<>();
            for (String in : nodes.get(i).inputs()) {
                Integer p = in.isEmpty() ? null : producer.get(in);
                if (p != null && sources.add(p)) {
                    waitingOn[i]++;
                    readers.get(p).add(i);
                }
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < n; i++) {
            if (waitingOn[i] == 0) {
                ready.add(i);
            }
        }
        List<Node> sorted = new ArrayList<>(n);
        boolean[] done = new boolean[n];
        while (!ready.isEmpty()) {
            int i = ready.poll();
            done[i] = true;
            sorted.add(nodes.get(i));
            for (int r : readers.get(i)) {
                if (--waitingOn[r] == 0) {
                    ready.add(r);
                }
            }
        }
        if (sorted.size() < n) {
            throw new ModelLoadException("the graph has a cycle: " + cycle(nodes, producer, done)
                    + " (each node waits for the next one's output)");
        }
        return sorted;
    }

    /** A cycle among the nodes left unsorted, as {@code a -> b -> a} (each waits for the next). */
    private static String cycle(List<Node> nodes, Map<String, Integer> producer, boolean[] done) {
        int start = 0;
        while (done[start]) {
            start++;
        }
        // every unsorted node waits on an unsorted producer: walking those links must revisit a node
        Map<Integer, Integer> seenAt = new HashMap<>();
        Deque<Integer> path = new ArrayDeque<>();
        int current = start;
        while (!seenAt.containsKey(current)) {
            seenAt.put(current, path.size());
            path.addLast(current);
            current = unsortedProducer(nodes.get(current), producer, done);
        }
        List<Integer> loop = new ArrayList<>(path).subList(seenAt.get(current), path.size());
        StringBuilder sb = new StringBuilder();
        for (int i : loop) {
            sb.append(label(nodes, i)).append(" -> ");
        }
        return sb.append(label(nodes, current)).toString();
    }

    private static int unsortedProducer(Node node, Map<String, Integer> producer, boolean[] done) {
        for (String in : node.inputs()) {
            Integer p = in.isEmpty() ? null : producer.get(in);
            if (p != null && !done[p]) {
                return p;
            }
        }
        throw new IllegalStateException(node.describe() + " was left unsorted but waits on no unsorted node");
    }

    /** The node's description, with its position when it has no name. */
    static String label(List<Node> nodes, int index) {
        Node node = nodes.get(index);
        return node.describe() + (node.name().isEmpty() ? " (node " + index + ")" : "");
    }
}
