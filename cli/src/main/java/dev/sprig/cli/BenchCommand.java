package dev.sprig.cli;

import dev.sprig.bench.KernelBenchRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sprig bench}: benchmark families. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run benchmarks (kernels, models).",
        footer = {"", "Examples:", "  ./sprig bench kernels --filter peak --quick",
            "  ./sprig bench model data/mnist-8/model.onnx --quick"},
        subcommands = {BenchCommand.Kernels.class, ModelBenchCommand.class})
final class BenchCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "kernels", mixinStandardHelpOptions = true,
            description = {"Run the JMH kernel benchmarks against this machine's peak rates.",
                "Reports GFLOP/s (or GB/s) against this machine's peak FMA rate (or read bandwidth), both measured in "
                    + "the same run."},
            footer = {"", "Examples:", "  ./sprig bench kernels --filter 'peak|sgemm|gemv' --json r.json",
                "  ./sprig bench kernels --filter sgemmPrepacked \\",
                "      --param shape=1024x1024x1024 --threads 1,2 --quick",
                "  ./sprig bench kernels --filter 'peak|streamRead|gemmSteps' --threads 1 \\",
                "      --png steps.png --roofline roof.png"})
    static final class Kernels implements Runnable {

        @Option(names = "--filter", description = "Regex (case-insensitive) over benchmark names. Default: all.",
                defaultValue = ".*")
        String filter;

        @Option(names = "--threads", split = ",",
                description = "Thread counts to run each benchmark with. Default: 1 and all processors.")
        List<Integer> threads;

        @Option(names = "--param", description = "Override a JMH parameter: name=v1,v2 (e.g. shape=512x512x512).")
        List<String> params = new ArrayList<>();

        @Option(names = "--quick", description = "Fewer, shorter iterations (a smoke run, noisier figures).")
        boolean quick;

        @Option(names = "--json", description = "Also write the results as a JSON array to this file.")
        Path json;

        @Option(names = "--png", paramLabel = "FILE",
                description = "Also draw GFLOP/s (or GB/s) per benchmark as a bar chart, with the measured peak as a line.")
        Path png;

        @Option(names = "--roofline", paramLabel = "FILE",
                description = "Also draw a roofline: log-log GFLOP/s against FLOP/byte under the measured peak and "
                        + "bandwidth, one point per benchmark that knows its bytes (e.g. gemmSteps).")
        Path roofline;

        @Override
        public void run() {
            List<Integer> t = threads;
            if (t == null || t.isEmpty()) {
                int all = Runtime.getRuntime().availableProcessors();
                t = all > 1 ? List.of(1, all) : List.of(1);
            }
            for (int n : t) {
                if (n < 1) {
                    throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                            "--threads values must be >= 1, got " + n);
                }
            }
            Map<String, List<String>> p = new LinkedHashMap<>();
            for (String kv : params) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                            "--param expects name=value[,value...], got '" + kv + "'");
                }
                p.put(kv.substring(0, eq), Arrays.asList(kv.substring(eq + 1).split(",")));
            }
            KernelBenchRunner.run(new KernelBenchRunner.Request(filter, t, p, quick, json, png, roofline), System.out);
        }
    }
}
