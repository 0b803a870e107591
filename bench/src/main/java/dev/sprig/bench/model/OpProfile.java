package dev.sprig.bench.model;

import dev.sprig.core.graph.Node;
import dev.sprig.core.session.NodeObserver;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Time per operator type over several runs of a Sprig session (the nanoseconds per node that
 * {@link NodeObserver} gives), so a gap to the peer can be traced to the operators that cause it.
 * Not thread-safe: one observer per profiling thread.
 */
public final class OpProfile implements NodeObserver {

    /** One operator type's share: nodes of that type per run, milliseconds per run, percent of the total. */
    public record Entry(String opType, int nodes, double msPerRun, double percent) {
    }

    private final Map<String, long[]> byType = new LinkedHashMap<>();
    private int runs;
    private int nodesThisRun;
    private final Map<String, Integer> nodesPerType = new LinkedHashMap<>();

    @Override
    public void nodeDone(int index, Node node, dev.sprig.core.Tensor[] inputs, dev.sprig.core.Tensor[] outputs,
                         long nanos) {
        String type = node.domain().isEmpty() ? node.opType() : node.domain() + ":" + node.opType();
        byType.computeIfAbsent(type, k -> new long[1])[0] += nanos;
        if (index == 0) {
            runs++;
            nodesPerType.clear();
            nodesThisRun = 0;
        }
        nodesThisRun++;
        nodesPerType.merge(type, 1, Integer::sum);
    }

    /** Reads only the node's type and time: the profiled run recycles buffers as an unobserved one does. */
    @Override
    public boolean keepsTensors() {
        return false;
    }

    /** The entries, most expensive first. */
    public List<Entry> entries() {
        long total = byType.values().stream().mapToLong(v -> v[0]).sum();
        List<Entry> out = new ArrayList<>();
        int r = Math.max(runs, 1);
        byType.forEach((type, nanos) -> out.add(new Entry(type, nodesPerType.getOrDefault(type, 0),
                nanos[0] / 1e6 / r, total == 0 ? 0 : 100.0 * nanos[0] / total)));
        out.sort(Comparator.comparingDouble(Entry::msPerRun).reversed());
        return out;
    }

    /** Runs observed (counted at each run's first node). */
    public int runs() {
        return runs;
    }

    /** Prints the entries as a Markdown table under {@code title}. */
    public void print(String title, PrintStream out) {
        out.println();
        out.println("Per-op time, " + title + " (" + runs + " runs, batch 1):");
        out.println();
        out.println("| op type | nodes | ms per run | % |");
        out.println("|---|---:|---:|---:|");
        double sum = 0;
        for (Entry e : entries()) {
            out.printf(java.util.Locale.ROOT, "| %s | %d | %.3f | %.1f |%n", e.opType(), e.nodes(), e.msPerRun(),
                    e.percent());
            sum += e.msPerRun();
        }
        out.printf(java.util.Locale.ROOT, "| total | %d | %.3f | 100.0 |%n", nodesThisRun, sum);
    }
}
