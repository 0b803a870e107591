package dev.sprig.cli;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import dev.sprig.core.graph.ValueInfo;
import dev.sprig.core.session.FlopCount;
import dev.sprig.core.session.MemoryPlan;
import dev.sprig.core.session.Session;
import dev.sprig.core.session.SessionOptions;
import dev.sprig.onnx.OnnxModelLoader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sprig inspect MODEL.onnx}: what a model is (inputs, outputs, operators, parameters) and
 * what it costs (FLOPs per op type and the planned activation arena, from one run on zeros).
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Print a model's inputs, outputs, ops, parameters, FLOPs and arena.",
            "That is: its inputs and outputs, op histogram, parameter count and bytes, FLOPs per op type and the planned "
                + "activation arena.",
            "FLOPs and the arena come from one run on zero inputs after the graph passes (or without them, with "
                + "--no-optimize); symbolic dimensions are 1 unless given with --dim."},
        footer = {"", "Examples:", "  ./sprig inspect data/mnist-8/model.onnx",
            "  ./sprig inspect ../shared/testdata/models/all-minilm-l6-v2-q/model.onnx \\",
            "      --dim batch_size=1 --dim sequence_length=128"})
final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "The model file.")
    Path model;

    @Option(names = "--dim", paramLabel = "name=value", description = "Size of a symbolic dimension, e.g. batch_size=8.")
    Map<String, Integer> dims = new LinkedHashMap<>();

    @Option(names = "--no-optimize", description = "Run the graph as the model states it, without the graph passes "
            + "(folding, fusion), to compare with the default output.")
    boolean noOptimize;

    @Option(names = "--nodes", description = "Also list the nodes the session runs (after the passes, unless "
            + "--no-optimize), one per line: op type, name, inputs -> outputs.")
    boolean listNodes;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        try {
            Model m = OnnxModelLoader.load(model);
            Graph g = m.graph();
            out.printf("model      %s (%,d bytes), producer '%s', IR %d, opsets %s%n", model, Files.size(model),
                    m.producer(), m.irVersion(), opsets(m));
            for (ValueInfo v : g.inputs()) {
                out.println("input      " + v);
            }
            for (ValueInfo v : g.outputs()) {
                out.println("output     " + v);
            }
            Map<String, Integer> histogram = new TreeMap<>();
            for (Node n : g.nodes()) {
                histogram.merge(opName(n), 1, Integer::sum);
            }
            out.println("nodes      " + g.nodes().size() + ": " + sortedByCount(histogram));
            Map<DType, long[]> params = new EnumMap<>(DType.class);
            for (Tensor t : g.initializers().values()) {
                long[] c = params.computeIfAbsent(t.dtype(), k -> new long[2]);
                c[0] += t.size();
                c[1] += (long) t.size() * t.dtype().byteSize();
            }
            long count = params.values().stream().mapToLong(c -> c[0]).sum();
            long bytes = params.values().stream().mapToLong(c -> c[1]).sum();
            List<String> byType = new ArrayList<>();
            params.forEach((t, c) -> byType.add(String.format("%s %,d", t, c[0])));
            out.printf("parameters %,d (%,d bytes in memory): %s%n", count, bytes, String.join(", ", byType));

            Map<String, Tensor> zeros = ModelInputs.zeros(g, dims);
            try (Session session = Session.create(m, SessionOptions.threads(1).withOptimize(!noOptimize))) {
                if (listNodes) {
                    printNodes(out, session.graph());
                }
                Map<String, long[]> flops = new TreeMap<>();
                session.run(zeros, (i, node, in, res, nanos) ->
                        flops.computeIfAbsent(opName(node), k -> new long[1])[0] += FlopCount.of(node, in, res));
                long total = flops.values().stream().mapToLong(f -> f[0]).sum();
                out.printf("%s %d nodes; FLOPs per run %,d (%.3f GFLOP), by op type:%n",
                        noOptimize ? "no passes (--no-optimize)" : "after passes", session.graph().nodes().size(),
                        total, total / 1e9);
                flops.entrySet().stream()
                        .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                        .forEach(e -> out.printf("  %-28s %,18d  %5.1f%%%n", e.getKey(), e.getValue()[0],
                                total == 0 ? 0 : 100.0 * e.getValue()[0] / total));
                MemoryPlan plan = session.memoryPlan(zeros);
                out.printf("arena      %,d bytes planned for the activations (naive sum %,d bytes, %.1f%% saved)%n",
                        plan.arenaBytes(), plan.naiveBytes(),
                        plan.naiveBytes() == 0 ? 0 : 100.0 * (plan.naiveBytes() - plan.arenaBytes()) / plan.naiveBytes());
                // the plan's run recycled its buffers: what the session now keeps is the arena runs really use
                out.printf("recycled   %,d bytes of free buffers kept by the session after a run (reused by exact"
                        + " length; tensors under 1024 elements come from the heap)%n", session.pooledBytes());
            }
            return 0;
        } catch (RuntimeException e) {
            System.err.println("sprig inspect: " + e.getMessage());
            return 1;
        }
    }

    /** The session's nodes in run order: the graph the passes produced, or the model's own with --no-optimize. */
    private void printNodes(PrintStream out, Graph g) {
        out.println((noOptimize ? "nodes as loaded" : "nodes after passes") + " (" + g.nodes().size() + "):");
        for (int i = 0; i < g.nodes().size(); i++) {
            Node n = g.nodes().get(i);
            out.printf("  %3d %-22s %s %s -> %s%n", i, opName(n), n.name().isEmpty() ? "-" : n.name(), n.inputs(),
                    n.outputs());
        }
    }

    private static String opName(Node n) {
        return (n.domain().isEmpty() ? "" : n.domain() + ":") + n.opType();
    }

    private static String opsets(Model m) {
        List<String> s = new ArrayList<>();
        m.opsets().forEach((d, v) -> s.add((d.isEmpty() ? "ai.onnx" : d) + ":" + v));
        return String.join(" ", s);
    }

    private static String sortedByCount(Map<String, Integer> histogram) {
        List<String> parts = new ArrayList<>();
        histogram.entrySet().stream()
                .sorted((a, b) -> b.getValue() != a.getValue().intValue() ? b.getValue() - a.getValue()
                        : a.getKey().compareTo(b.getKey()))
                .forEach(e -> parts.add(e.getKey() + "=" + e.getValue()));
        return String.join(" ", parts);
    }
}
