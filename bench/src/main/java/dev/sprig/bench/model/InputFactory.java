package dev.sprig.bench.model;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.ValueInfo;
import dev.sprig.onnx.TensorProtos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Inputs for a model at a given batch size: MNIST digits for an MNIST classifier, else the
 * reference inputs of {@code test_data_set_0} beside the model (sample 0), else seeded random
 * values of the declared types and shapes (FLOAT standard normal, integers 1 so token ids and
 * masks stay valid, BOOL true). Batches are made along axis 0, which must be symbolic: a model
 * that fixes it has no batch sizes but its own ({@link #batchable()}).
 */
public final class InputFactory {

    private final Graph graph;
    private final Map<String, Integer> dims;
    private final MnistTestSet mnist;
    private final Path testDataSet;

    /**
     * Inputs for {@code graph}, checking that each declared input has a type and a rank.
     *
     * @param graph       the model's graph (its declared inputs)
     * @param dims        sizes of symbolic dimensions other than the batch, by symbol; unnamed
     *                    ones default to 128 when the symbol mentions "seq", else 1
     * @param mnist       MNIST digits to feed, or null
     * @param testDataSet a test_data_set folder whose {@code input_<i>.pb} give sample 0, or null
     */
    public InputFactory(Graph graph, Map<String, Integer> dims, MnistTestSet mnist, Path testDataSet) {
        this.graph = graph;
        this.dims = Map.copyOf(dims);
        this.mnist = mnist;
        this.testDataSet = testDataSet;
        for (ValueInfo in : graph.inputs()) {
            if (in.type() == null || in.shape() == null) {
                throw new IllegalArgumentException("input " + in + " declares no type or rank; the benchmark needs both"
                        + " to make inputs");
            }
        }
    }

    /** True when every input's axis 0 is symbolic, so batches of any size can be fed. */
    public boolean batchable() {
        for (ValueInfo in : graph.inputs()) {
            if (in.shape().isEmpty() || in.shape().get(0).isFixed()) {
                return false;
            }
        }
        return true;
    }

    /** The batch size a model with a fixed axis 0 takes (1 for a batchable model). */
    public int fixedBatch() {
        for (ValueInfo in : graph.inputs()) {
            if (!in.shape().isEmpty() && in.shape().get(0).isFixed()) {
                return (int) in.shape().get(0).value();
            }
        }
        return 1;
    }

    /**
     * Sample {@code index} at {@code batch} items (different indexes give different inputs where
     * the source has them).
     *
     * @throws IllegalArgumentException when {@code batch} is not the fixed batch of a non-batchable model
     */
    public Map<String, Tensor> sample(int index, int batch) {
        if (!batchable() && batch != fixedBatch()) {
            throw new IllegalArgumentException("the model fixes its batch at " + fixedBatch() + "; batch " + batch
                    + " cannot be fed");
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < graph.inputs().size(); i++) {
            ValueInfo in = graph.inputs().get(i);
            out.put(in.name(), one(in, i, index, batch));
        }
        return out;
    }

    private Tensor one(ValueInfo in, int position, int index, int batch) {
        int[] shape = shape(in, batch);
        if (mnist != null && in.type() == DType.FLOAT && Shape.of(shape).size() == batch * MnistTestSet.PIXELS) {
            float[] v = new float[batch * MnistTestSet.PIXELS];
            for (int b = 0; b < batch; b++) {
                mnist.image((index * batch + b) % mnist.size(), v, b * MnistTestSet.PIXELS);
            }
            return Tensor.of(v, shape);
        }
        Path pb = testDataSet == null ? null : testDataSet.resolve("input_" + position + ".pb");
        if (index == 0 && pb != null && Files.exists(pb)) {
            Tensor reference = TensorProtos.readTensorFile(pb);
            return tile(reference, batch, shape, in);
        }
        return random(in.type(), shape, 31L * index + position);
    }

    private int[] shape(ValueInfo in, int batch) {
        int[] d = new int[in.shape().size()];
        for (int a = 0; a < d.length; a++) {
            ValueInfo.Dim dim = in.shape().get(a);
            if (dim.isFixed()) {
                d[a] = (int) dim.value();
            } else if (a == 0) {
                d[a] = batch;
            } else {
                String s = dim.symbol() == null ? "" : dim.symbol();
                d[a] = dims.getOrDefault(s, s.toLowerCase(Locale.ROOT).contains("seq") ? 128 : 1);
            }
        }
        return d;
    }

    /** {@code batch} copies of a batch-1 reference tensor along axis 0. */
    private static Tensor tile(Tensor reference, int batch, int[] shape, ValueInfo in) {
        Tensor c = reference.contiguous();
        int[] want = shape.clone();
        want[0] = 1;
        if (!Arrays.equals(c.shape().dims(), want) && !(batch == 1 && Arrays.equals(c.shape().dims(), shape))) {
            throw new IllegalArgumentException("reference input for " + in + " has shape " + c.shape()
                    + ", expected " + Shape.of(want));
        }
        int n = c.size();
        Tensor out = Tensor.zeros(c.dtype(), Shape.of(shape));
        for (int b = 0; b < batch; b++) {
            System.arraycopy(c.array(), c.offset(), out.array(), b * n, n);
        }
        return out;
    }

    private static Tensor random(DType type, int[] shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(type, Shape.of(shape));
        switch (type) {
            case FLOAT -> {
                float[] v = t.floatData();
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) r.nextGaussian();
                }
            }
            case INT64 -> Arrays.fill(t.longData(), 1L);
            case INT32 -> Arrays.fill(t.intData(), 1);
            case INT8, UINT8 -> r.nextBytes(t.byteData());
            case BOOL -> Arrays.fill(t.booleanData(), true);
        }
        return t;
    }
}
