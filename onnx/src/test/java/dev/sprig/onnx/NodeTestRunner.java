package dev.sprig.onnx;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.ValueInfo;
import dev.sprig.core.ops.OperatorRegistry;
import dev.sprig.core.ops.UnsupportedOperatorException;
import dev.sprig.core.session.Session;
import dev.sprig.core.session.SessionOptions;
import dev.sprig.onnx.proto.GraphProto;
import dev.sprig.onnx.proto.ModelProto;
import dev.sprig.onnx.proto.NodeProto;
import dev.sprig.onnx.proto.OperatorSetIdProto;
import dev.sprig.onnx.proto.TensorProto;
import dev.sprig.onnx.proto.TypeProto;
import dev.sprig.onnx.proto.ValueInfoProto;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs one ONNX backend node test folder ({@code model.onnx} plus {@code test_data_set_k/input_i.pb}
 * and {@code output_j.pb}) against an {@link OperatorRegistry} and says whether it passed, failed,
 * or is unsupported.
 *
 * <p>A test is unsupported when some node's (domain, op type) has no factory in the registry at
 * the opset the model imports, when a graph input or output is not a tensor of a dtype Sprig runs,
 * or when a test .pb tensor is of such a dtype; also when session creation throws
 * {@link UnsupportedOperatorException}. Otherwise the model is loaded, a one-thread session
 * created, and every data set run: inputs are matched by position to the graph inputs
 * (initializers excluded) and each output compared with {@link TensorMatch} (rtol 1e-3, atol
 * 1e-7 unless given). A test that takes longer than the timeout fails with reason "timeout"; it
 * runs on its own daemon thread, so a hung operator cannot hang the build.
 */
final class NodeTestRunner {

    static final double RTOL = 1e-3;
    static final double ATOL = 1e-7;

    private static final Pattern DATA_SET = Pattern.compile("test_data_set_(\\d+)");
    private static final Pattern INPUT = Pattern.compile("input_(\\d+)\\.pb");
    private static final Pattern OUTPUT = Pattern.compile("output_(\\d+)\\.pb");

    private final OperatorRegistry registry;
    private final Duration timeout;
    private final double rtol;
    private final double atol;

    NodeTestRunner(OperatorRegistry registry, Duration timeout) {
        this(registry, timeout, RTOL, ATOL);
    }

    NodeTestRunner(OperatorRegistry registry, Duration timeout, double rtol, double atol) {
        this.registry = registry;
        this.timeout = timeout;
        this.rtol = rtol;
        this.atol = atol;
    }

    /** Runs the test in {@code testDir} within the time limit. */
    NodeTestResult run(Path testDir) {
        String name = testDir.getFileName().toString();
        FutureTask<NodeTestResult> task = new FutureTask<>(() -> runUnbounded(testDir, name));
        Thread worker = Thread.ofPlatform().daemon().name("node-test-" + name).start(task);
        try {
            return task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // interrupt and abandon it: a daemon thread cannot keep the JVM alive
            task.cancel(true);
            worker.interrupt();
            return NodeTestResult.failed(name, "timeout (more than " + timeout.toMillis() + " ms)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return NodeTestResult.failed(name, "error: " + cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            task.cancel(true);
            return NodeTestResult.failed(name, "interrupted");
        }
    }

    private NodeTestResult runUnbounded(Path dir, String name) {
        Path modelFile = dir.resolve("model.onnx");
        ModelProto proto;
        try {
            proto = ModelProto.parseFrom(Files.readAllBytes(modelFile));
        } catch (IOException e) {
            return NodeTestResult.failed(name, "cannot read " + modelFile + ": " + e);
        }
        List<Path> dataSets = dataSets(dir);
        String unsupported = unsupportedReason(proto, dataSets);
        if (unsupported != null) {
            return NodeTestResult.unsupported(name, unsupported);
        }
        Model model;
        try {
            model = OnnxModelLoader.load(modelFile);
        } catch (ModelException e) {
            return NodeTestResult.failed(name, "load: " + e.getMessage());
        }
        Session session;
        try {
            session = Session.create(model, SessionOptions.threads(1), registry);
        } catch (UnsupportedOperatorException e) {
            return NodeTestResult.unsupported(name, "op rejected at session creation: " + e.getMessage());
        } catch (RuntimeException e) {
            return NodeTestResult.failed(name, "session: " + e);
        }
        try (session) {
            for (Path dataSet : dataSets) {
                String failure = runDataSet(session, model, dataSet);
                if (failure != null) {
                    return NodeTestResult.failed(name, dataSet.getFileName() + ": " + failure);
                }
            }
        }
        return NodeTestResult.passed(name);
    }

    /** Null when the data set's outputs match, else why not. */
    private String runDataSet(Session session, Model model, Path dataSet) {
        List<ValueInfo> inputs = model.graph().inputs();
        List<Path> inputFiles = numbered(dataSet, INPUT);
        if (inputFiles.size() != inputs.size()) {
            return "has " + inputFiles.size() + " input files, the graph has " + inputs.size()
                    + " inputs (initializers excluded)";
        }
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            if (number(inputFiles.get(i), INPUT) != i) {
                return "input files are not numbered 0.." + (inputs.size() - 1) + ": found " + inputFiles.get(i).getFileName();
            }
            feeds.put(inputs.get(i).name(), TensorProtos.readTensorFile(inputFiles.get(i)));
        }
        List<ValueInfo> outputs = model.graph().outputs();
        List<Path> outputFiles = numbered(dataSet, OUTPUT);
        if (outputFiles.size() != outputs.size()) {
            return "has " + outputFiles.size() + " output files, the graph has " + outputs.size() + " outputs";
        }
        Map<String, Tensor> results;
        try {
            results = session.run(feeds);
        } catch (RuntimeException e) {
            return "run: " + e.getMessage();
        }
        for (int j = 0; j < outputs.size(); j++) {
            if (number(outputFiles.get(j), OUTPUT) != j) {
                return "output files are not numbered 0.." + (outputs.size() - 1) + ": found " + outputFiles.get(j).getFileName();
            }
            Tensor expected = TensorProtos.readTensorFile(outputFiles.get(j));
            String mismatch = TensorMatch.mismatch(expected, results.get(outputs.get(j).name()), rtol, atol);
            if (mismatch != null) {
                return "output " + j + " '" + outputs.get(j).name() + "' " + mismatch;
            }
        }
        return null;
    }

    /**
     * Why Sprig cannot run this test with the registry (an op or dtype), or null when it can try.
     * Decided from the protos alone, before anything is loaded.
     */
    private String unsupportedReason(ModelProto model, List<Path> dataSets) {
        Map<String, Integer> opsets = new HashMap<>();
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            opsets.put(normalDomain(o.getDomain()), (int) o.getVersion());
        }
        GraphProto graph = model.getGraph();
        for (NodeProto node : graph.getNodeList()) {
            String domain = normalDomain(node.getDomain());
            int opset = opsets.getOrDefault(domain, -1);
            if (!registry.supports(domain, node.getOpType(), opset)) {
                return "op " + (domain.isEmpty() ? "" : domain + ":") + node.getOpType();
            }
        }
        Set<String> initializers = new HashSet<>();
        for (TensorProto t : graph.getInitializerList()) {
            initializers.add(t.getName());
        }
        for (ValueInfoProto v : graph.getInputList()) {
            if (!initializers.contains(v.getName())) {
                String why = unsupportedType(v.getType());
                if (why != null) {
                    return why;
                }
            }
        }
        for (ValueInfoProto v : graph.getOutputList()) {
            String why = unsupportedType(v.getType());
            if (why != null) {
                return why;
            }
        }
        for (Path dataSet : dataSets) {
            List<Path> files = new ArrayList<>(numbered(dataSet, INPUT));
            files.addAll(numbered(dataSet, OUTPUT));
            for (Path pb : files) {
                int code = dataTypeOf(pb);
                if (!runs(code)) {
                    return "dtype " + TensorProtos.typeName(code);
                }
            }
        }
        return null;
    }

    private static String unsupportedType(TypeProto type) {
        return switch (type.getValueCase()) {
            case TENSOR_TYPE -> runs(type.getTensorType().getElemType()) ? null
                    : "dtype " + TensorProtos.typeName(type.getTensorType().getElemType());
            case SEQUENCE_TYPE -> "type sequence";
            case OPTIONAL_TYPE -> "type optional";
            case MAP_TYPE -> "type map";
            case SPARSE_TENSOR_TYPE -> "type sparse tensor";
            case VALUE_NOT_SET -> "type not declared";
        };
    }

    private static boolean runs(int onnxCode) {
        for (DType t : DType.values()) {
            if (t.onnxCode() == onnxCode) {
                return true;
            }
        }
        return false;
    }

    private static int dataTypeOf(Path pb) {
        try {
            return TensorProto.parseFrom(Files.readAllBytes(pb)).getDataType();
        } catch (IOException e) {
            // a malformed file is not an unsupported dtype: let the run report it
            return DType.FLOAT.onnxCode();
        }
    }

    private static String normalDomain(String domain) {
        return domain.equals("ai.onnx") ? "" : domain;
    }

    /** The test_data_set_k folders in order of k. */
    private static List<Path> dataSets(Path dir) {
        return numbered(dir, DATA_SET);
    }

    /** The entries of {@code dir} whose name matches {@code pattern}, ordered by its number group. */
    private static List<Path> numbered(Path dir, Pattern pattern) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries
                    .filter(p -> pattern.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingInt(p -> number(p, pattern)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static int number(Path p, Pattern pattern) {
        Matcher m = pattern.matcher(p.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalStateException(p + " does not match " + pattern);
        }
        return Integer.parseInt(m.group(1));
    }
}
