package dev.sprig.core.session;

import dev.sprig.core.ModelException;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import dev.sprig.core.graph.ValueInfo;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import dev.sprig.core.ops.OperatorRegistry;
import dev.sprig.core.passes.GraphOptimizer;
import dev.sprig.kernels.ThreadPool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A loaded model ready to run: every node's {@link Operator} created (unsupported ops and bad
 * attributes are reported here, not mid-run), values numbered, and each value's last use known
 * so a run drops intermediate tensors as soon as nothing reads them. A dropped tensor's buffer
 * goes back to the session's pool of free buffers, from which later outputs of the same length
 * are served, in the same run and in later ones: the session's activation arena
 * ({@link #pooledBytes()}; {@link #memoryPlan} gives the planned lower bound).
 *
 * <pre>{@code
 * try (Session session = Session.create(model, SessionOptions.defaults())) {
 *     Map<String, Tensor> out = session.run(Map.of("input", x));
 * }
 * }</pre>
 *
 * <p>{@link #run} is thread-safe: concurrent calls share only read-only state and the thread
 * pool. Outputs do not depend on the thread count (bitwise).
 *
 * <p>Failures: creation throws {@link ModelException} (unsupported operators, bad attributes,
 * broken wiring, a graph pass that cannot handle the model); {@link #run} throws
 * {@link IllegalArgumentException} for inputs or values a node cannot take, for a run whose
 * intermediates pass {@link SessionOptions#maxArenaBytes()}, and for a node that needs more memory
 * than the heap has, so that a hostile model fails its own run instead of the JVM.
 *
 * <p>{@link #close()} waits for the runs in flight to finish (they complete normally), then stops
 * the worker threads; runs started after {@code close()} was called fail with
 * {@link IllegalStateException}.
 */
public final class Session implements AutoCloseable {

    private final Graph graph;
    private final ThreadPool pool;
    private final OpContext context;
    /** Value ids: graph inputs, initializers and node outputs, numbered once. */
    private final Map<String, Integer> ids;
    private final Tensor[] constants;
    private final Operator[] operators;
    private final int[][] nodeInputs;
    private final int[][] nodeOutputs;
    /** Per node: the value ids whose last reader it is (freed after it runs). */
    private final int[][] releasedAfter;
    private final int[] outputIds;
    /** Backing arrays of the constants, which runs share and do not count as their own memory. */
    private final Set<Object> constantArrays;
    private final long maxArenaBytes;
    /** Free intermediate buffers, recycled across the session's runs (its activation arena). */
    private final BufferPool buffers;
    /** Runs hold the read lock, {@link #close()} takes the write lock: close waits for runs in flight. */
    private final ReentrantReadWriteLock runLock = new ReentrantReadWriteLock();
    private volatile boolean closed;

    private Session(Model original, SessionOptions options, OperatorRegistry registry) {
        Model model = options.optimize() ? optimized(original, registry) : original;
        this.graph = model.graph();
        this.ids = new HashMap<>();
        for (ValueInfo in : graph.inputs()) {
            define(in.name(), "graph input");
        }
        for (Map.Entry<String, Tensor> e : graph.initializers().entrySet()) {
            if (!ids.containsKey(e.getKey())) {
                define(e.getKey(), "initializer");
            }
        }
        List<Node> nodes = graph.nodes();
        this.operators = new Operator[nodes.size()];
        this.nodeInputs = new int[nodes.size()][];
        this.nodeOutputs = new int[nodes.size()][];
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            nodeInputs[i] = new int[node.inputs().size()];
            for (int j = 0; j < node.inputs().size(); j++) {
                String name = node.inputs().get(j);
                if (name.isEmpty()) {
                    nodeInputs[i][j] = -1;
                    continue;
                }
                Integer id = ids.get(name);
                if (id == null) {
                    throw new ModelException(node.describe() + ": input " + j + " '" + name + "' is not a graph"
                            + " input, an initializer or the output of an earlier node (nodes must be in"
                            + " topological order)");
                }
                nodeInputs[i][j] = id;
            }
            nodeOutputs[i] = new int[node.outputs().size()];
            for (int j = 0; j < node.outputs().size(); j++) {
                String name = node.outputs().get(j);
                nodeOutputs[i][j] = name.isEmpty() ? -1 : define(name, node.describe() + " output");
            }
            operators[i] = createOperator(registry, node, model.opset(node.domain()), graph.initializers());
        }
        this.constants = new Tensor[ids.size()];
        graph.initializers().forEach((name, t) -> constants[ids.get(name)] = t);
        this.constantArrays = Collections.newSetFromMap(new IdentityHashMap<>());
        graph.initializers().values().forEach(t -> constantArrays.add(t.array()));
        this.maxArenaBytes = options.maxArenaBytes();
        this.buffers = new BufferPool(Math.min(options.maxArenaBytes(), Runtime.getRuntime().maxMemory() / 4));
        this.outputIds = new int[graph.outputs().size()];
        for (int j = 0; j < outputIds.length; j++) {
            String name = graph.outputs().get(j).name();
            Integer id = ids.get(name);
            if (id == null) {
                throw new ModelException("graph output '" + name + "' is produced by no node and is not an input"
                        + " or initializer");
            }
            outputIds[j] = id;
        }
        this.releasedAfter = lastUses(nodes.size());
        this.pool = ThreadPool.create(options.threads());
        this.context = new OpContext(pool);
    }

    /**
     * The graph passes applied; a pass failing on something other than a {@link ModelException}
     * (an operator folding a constant it cannot take, an allocation the heap cannot hold) is still
     * a model the session cannot run, reported as one.
     */
    private static Model optimized(Model original, OperatorRegistry registry) {
        try {
            return GraphOptimizer.optimize(original, registry);
        } catch (ModelException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelException("the graph passes failed on this model: " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw new ModelException("the graph passes ran out of memory folding this model's constants (max heap "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MiB)", e);
        }
    }

    /** The node's operator; a factory failing with anything but a ModelException is reported as one naming the node. */
    private static Operator createOperator(OperatorRegistry registry, Node node, int opset,
                                           Map<String, Tensor> constants) {
        try {
            return registry.create(node, opset, constants);
        } catch (ModelException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelException(node.describe() + ": cannot create its operator: " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw new ModelException(node.describe() + ": preparing its constants ran out of memory (max heap "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MiB)", e);
        }
    }

    /** A session over {@code model} with the standard operators. */
    public static Session create(Model model, SessionOptions options) {
        return create(model, options, OperatorRegistry.standard());
    }

    /** A session over {@code model} whose operators come from {@code registry}. */
    public static Session create(Model model, SessionOptions options, OperatorRegistry registry) {
        return new Session(model, options, registry);
    }

    /** The graph this session runs (after the passes, when the options ask for them). */
    public Graph graph() {
        return graph;
    }

    /**
     * Runs the model on {@code inputs} (every graph input by name) and returns the graph outputs by
     * name, in the model's order.
     *
     * @throws IllegalArgumentException for a missing or unknown input, or one whose dtype or shape
     *                                  does not match the model's declaration (naming the input,
     *                                  expected and actual), when a node cannot compute on the
     *                                  values it gets, or when the run's intermediates pass
     *                                  {@link SessionOptions#maxArenaBytes()} or a node's result
     *                                  does not fit in the heap (naming the node)
     * @throws IllegalStateException    when {@link #close()} has been called
     */
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        return run(inputs, null);
    }

    /** {@link #run(Map)}, telling {@code observer} (when non-null) about every node as it finishes. */
    public Map<String, Tensor> run(Map<String, Tensor> inputs, NodeObserver observer) {
        return execute(inputs, observer);
    }

    /**
     * Bytes of free intermediate buffers the session keeps for its next runs: after a run, the
     * activation arena that run's intermediates will be recycled from (graph outputs leave with
     * the caller and are not counted). Buffers are kept per element type and exact length, so this
     * can exceed {@link MemoryPlan#arenaBytes()}, which lets any two values of disjoint lives
     * share bytes; it is bounded by {@link SessionOptions#maxArenaBytes()} and a quarter of the
     * maximum heap.
     */
    public long pooledBytes() {
        return buffers.pooledBytes();
    }

    /**
     * Runs once on {@code inputs} and plans the intermediate tensors of that run into one arena
     * ({@link MemoryPlan}): the symbolic dimensions take the inputs' sizes. Values that a node
     * returns as a view of its input (Reshape) are counted as their own buffers, so the plan is an
     * upper bound for the activations of this run.
     */
    public MemoryPlan memoryPlan(Map<String, Tensor> inputs) {
        long[] bytes = new long[ids.size()];
        Arrays.fill(bytes, -1);
        execute(inputs, new NodeObserver() {
            @Override
            public void nodeDone(int index, Node node, Tensor[] in, Tensor[] out, long nanos) {
                for (int j = 0; j < nodeOutputs[index].length; j++) {
                    int id = nodeOutputs[index][j];
                    if (id >= 0 && out[j] != null) {
                        bytes[id] = (long) out[j].size() * out[j].dtype().byteSize();
                    }
                }
            }

            @Override
            public boolean keepsTensors() {
                return false;
            }
        });
        int last = operators.length - 1;
        int[] lastRead = new int[ids.size()];
        int[] producedAt = new int[ids.size()];
        Arrays.fill(producedAt, -1);
        for (int i = 0; i < operators.length; i++) {
            for (int id : nodeOutputs[i]) {
                if (id >= 0) {
                    producedAt[id] = i;
                    lastRead[id] = i;
                }
            }
            for (int id : nodeInputs[i]) {
                if (id >= 0) {
                    lastRead[id] = i;
                }
            }
        }
        for (int id : outputIds) {
            lastRead[id] = last;
        }
        List<Long> sizes = new ArrayList<>();
        List<Integer> firsts = new ArrayList<>();
        List<Integer> lasts = new ArrayList<>();
        for (int id = 0; id < bytes.length; id++) {
            if (producedAt[id] >= 0 && bytes[id] >= 0) {
                sizes.add(bytes[id]);
                firsts.add(producedAt[id]);
                lasts.add(lastRead[id]);
            }
        }
        return MemoryPlan.plan(sizes.stream().mapToLong(Long::longValue).toArray(),
                firsts.stream().mapToInt(Integer::intValue).toArray(),
                lasts.stream().mapToInt(Integer::intValue).toArray());
    }

    private Map<String, Tensor> execute(Map<String, Tensor> inputs, NodeObserver observer) {
        Lock lock = runLock.readLock();
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("session is closed");
            }
            return executeOpen(inputs, observer);
        } finally {
            lock.unlock();
        }
    }

    private Map<String, Tensor> executeOpen(Map<String, Tensor> inputs, NodeObserver observer) {
        InputCheck.check(graph, inputs);
        RunBuffers recycled = observer == null || !observer.keepsTensors() ? new RunBuffers(buffers) : null;
        OpContext runContext = recycled == null ? context : new OpContext(pool, recycled);
        Tensor[] values = constants.clone();
        LiveBytes live = new LiveBytes(constantArrays);
        for (ValueInfo in : graph.inputs()) {
            Tensor t = inputs.get(in.name());
            values[ids.get(in.name())] = t;
            live.notOwned(t);
        }
        List<Node> nodes = graph.nodes();
        for (int i = 0; i < operators.length; i++) {
            int[] in = nodeInputs[i];
            Tensor[] args = new Tensor[in.length];
            for (int j = 0; j < in.length; j++) {
                args[j] = in[j] < 0 ? null : values[in[j]];
            }
            Tensor[] results;
            long start = System.nanoTime();
            try {
                results = operators[i].run(args, runContext);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(nodes.get(i).describe() + " failed on inputs "
                        + describe(args) + ": " + e.getMessage(), e);
            } catch (OutOfMemoryError e) {
                // one allocation larger than the heap (sizes a hostile model computed): it failed
                // before taking the memory, so the JVM is fine and only this run is lost
                throw new IllegalArgumentException(nodes.get(i).describe() + " ran out of memory on inputs "
                        + describe(args) + " (max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB)", e);
            }
            long nanos = System.nanoTime() - start;
            int[] out = nodeOutputs[i];
            if (results.length < out.length) {
                // a model error found only now: the file lists more outputs than the operator defines
                throw new IllegalArgumentException(nodes.get(i).describe() + " lists " + out.length + " outputs "
                        + graph.nodes().get(i).outputs() + ", but its operator produces " + results.length);
            }
            if (observer != null) {
                observer.nodeDone(i, nodes.get(i), args, results, nanos);
            }
            for (int j = 0; j < out.length; j++) {
                if (out[j] >= 0) {
                    values[out[j]] = results[j];
                    if (results[j] != null) {
                        live.hold(results[j]);
                    }
                }
            }
            if (live.bytes() > maxArenaBytes) {
                throw new IllegalArgumentException(nodes.get(i).describe() + " brought the run's intermediate tensors"
                        + " to " + live.bytes() + " bytes, more than maxArenaBytes = " + maxArenaBytes
                        + " (SessionOptions)");
            }
            for (int id : releasedAfter[i]) {
                if (values[id] != null && live.release(values[id]) && recycled != null) {
                    recycled.dead(values[id].array());
                }
                values[id] = null;
            }
        }
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (int j = 0; j < outputIds.length; j++) {
            result.put(graph.outputs().get(j).name(), values[outputIds[j]]);
        }
        return result;
    }

    /**
     * Waits for the runs in flight to finish, then stops the session's worker threads; idempotent.
     * Runs started after this call fail with {@link IllegalStateException}.
     *
     * @throws IllegalStateException when called from inside a run of this session (a
     *                               {@link NodeObserver}): the run could never finish
     */
    @Override
    public void close() {
        if (runLock.getReadHoldCount() > 0) {
            throw new IllegalStateException("close() called from inside a run of this session (a NodeObserver?):"
                    + " close after the run returns");
        }
        closed = true;
        Lock lock = runLock.writeLock();
        lock.lock();
        try {
            pool.close();
            buffers.clear();
        } finally {
            lock.unlock();
        }
    }

    private int define(String name, String what) {
        if (ids.containsKey(name)) {
            throw new ModelException(what + " '" + name + "' is defined twice (values must have one producer)");
        }
        int id = ids.size();
        ids.put(name, id);
        return id;
    }

    /**
     * For each node, the intermediate values it reads last. Graph outputs and initializers are
     * never released (initializers are shared by every run; outputs are returned).
     */
    private int[][] lastUses(int nodeCount) {
        int[] last = new int[ids.size()];
        Arrays.fill(last, -1);
        for (int i = 0; i < nodeCount; i++) {
            for (int id : nodeInputs[i]) {
                if (id >= 0) {
                    last[id] = i;
                }
            }
        }
        Set<Integer> kept = new TreeSet<>();
        for (int id : outputIds) {
            kept.add(id);
        }
        List<List<Integer>> perNode = new ArrayList<>();
        for (int i = 0; i < nodeCount; i++) {
            perNode.add(new ArrayList<>());
        }
        for (int id = 0; id < last.length; id++) {
            if (last[id] >= 0 && constants[id] == null && !kept.contains(id)) {
                perNode.get(last[id]).add(id);
            }
        }
        // outputs nothing reads (an unused second output, a dead node): dropped as soon as made
        for (int i = 0; i < nodeCount; i++) {
            for (int id : nodeOutputs[i]) {
                if (id >= 0 && last[id] < 0 && !kept.contains(id)) {
                    perNode.get(i).add(id);
                }
            }
        }
        int[][] result = new int[nodeCount][];
        for (int i = 0; i < nodeCount; i++) {
            result[i] = perNode.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        return result;
    }

    private static String describe(Tensor[] args) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < args.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(args[i] == null ? "-" : args[i].dtype() + "" + args[i].shape());
        }
        return sb.append(')').toString();
    }
}
