package dev.sprig.bench.model;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Model;
import dev.sprig.core.session.NodeObserver;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The peer: the same ONNX model run by ONNX Runtime Java on the CPU provider, configured as a user
 * tuning it for latency would: {@code threads} intra-op threads (the caller included, as in
 * Sprig), one inter-op thread, sequential execution, every graph optimisation on.
 */
final class OrtRunner implements VariantRunner {

    private final OrtEnvironment env;
    private final OrtSession session;
    private final long weightBytes;

    /** ONNX Runtime tensors made once from the benchmark's inputs. */
    private record OrtInputs(Map<String, OnnxTensor> tensors) implements Prepared {
        @Override
        public void close() {
            tensors.values().forEach(OnnxTensor::close);
        }
    }

    /**
     * A session over {@code onnxBytes} (the serialised {@code model}).
     *
     * @throws IllegalStateException when ONNX Runtime cannot load the model (its message included)
     */
    OrtRunner(Model model, byte[] onnxBytes, int threads) {
        this.env = OrtEnvironment.getEnvironment();
        this.weightBytes = ModelWeights.bytes(model.graph());
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            this.session = env.createSession(onnxBytes, options);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load the model: " + e.getMessage(), e);
        }
    }

    @Override
    public Prepared prepare(Map<String, Tensor> inputs) {
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                tensors.put(e.getKey(), toOrt(e.getValue()));
            }
        } catch (OrtException | RuntimeException e) {
            tensors.values().forEach(OnnxTensor::close);
            throw new IllegalStateException("could not convert the inputs for ONNX Runtime: " + e.getMessage(), e);
        }
        return new OrtInputs(tensors);
    }

    @Override
    public void run(Prepared inputs) {
        try (OrtSession.Result _ = session.run(((OrtInputs) inputs).tensors())) {
            // outputs are dropped: the timed operation is the inference
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime run failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, Tensor> outputs(Map<String, Tensor> inputs) {
        try (Prepared p = prepare(inputs); OrtSession.Result result = session.run(((OrtInputs) p).tensors())) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Map.Entry<String, OnnxValue> e : result) {
                out.put(e.getKey(), fromOrt(e.getKey(), e.getValue()));
            }
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime run failed: " + e.getMessage(), e);
        }
    }

    /** The initializers of the model ONNX Runtime loaded (before its own optimisations). */
    @Override
    public long weightBytes() {
        return weightBytes;
    }

    /** ONNX Runtime plans its arena in native memory and does not report the plan. */
    @Override
    public OptionalLong arenaBytes(Map<String, Tensor> inputs) {
        return OptionalLong.empty();
    }

    @Override
    public boolean canProfile() {
        return false;
    }

    @Override
    public void profile(Map<String, Tensor> inputs, NodeObserver observer) {
        throw new UnsupportedOperationException("per-node times are reported for Sprig variants only");
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the ONNX Runtime session failed: " + e.getMessage(), e);
        }
    }

    private OnnxTensor toOrt(Tensor t) throws OrtException {
        Tensor c = t.contiguous();
        long[] shape = new long[c.shape().rank()];
        for (int a = 0; a < shape.length; a++) {
            shape[a] = c.shape().dim(a);
        }
        int off = c.offset();
        int n = c.size();
        return switch (c.dtype()) {
            case FLOAT -> OnnxTensor.createTensor(env, FloatBuffer.wrap(c.floatData(), off, n).slice(), shape);
            case INT64 -> OnnxTensor.createTensor(env, LongBuffer.wrap(c.longData(), off, n).slice(), shape);
            case INT32 -> OnnxTensor.createTensor(env, IntBuffer.wrap(c.intData(), off, n).slice(), shape);
            case INT8 -> OnnxTensor.createTensor(env, ByteBuffer.wrap(c.byteData(), off, n).slice(), shape,
                    OnnxJavaType.INT8);
            case UINT8 -> OnnxTensor.createTensor(env, ByteBuffer.wrap(c.byteData(), off, n).slice(), shape,
                    OnnxJavaType.UINT8);
            case BOOL -> {
                byte[] b = new byte[n];
                boolean[] v = c.booleanData();
                for (int i = 0; i < n; i++) {
                    b[i] = (byte) (v[off + i] ? 1 : 0);
                }
                yield OnnxTensor.createTensor(env, ByteBuffer.wrap(b), shape, OnnxJavaType.BOOL);
            }
        };
    }

    private static Tensor fromOrt(String name, OnnxValue value) {
        if (!(value instanceof OnnxTensor t)) {
            throw new IllegalStateException("output '" + name + "' is a " + value.getType() + ", expected a tensor");
        }
        TensorInfo info = t.getInfo();
        long[] dims = info.getShape();
        Shape shape = Shape.ofLongs(dims);
        return switch (info.type) {
            case FLOAT -> {
                float[] v = new float[shape.size()];
                t.getFloatBuffer().get(v);
                yield Tensor.wrap(DType.FLOAT, v, shape);
            }
            case INT64 -> {
                long[] v = new long[shape.size()];
                t.getLongBuffer().get(v);
                yield Tensor.wrap(DType.INT64, v, shape);
            }
            case INT32 -> {
                int[] v = new int[shape.size()];
                t.getIntBuffer().get(v);
                yield Tensor.wrap(DType.INT32, v, shape);
            }
            default -> throw new IllegalStateException("output '" + name + "' has type " + info.type
                    + "; the benchmark compares FLOAT, INT64 and INT32 outputs");
        };
    }
}
