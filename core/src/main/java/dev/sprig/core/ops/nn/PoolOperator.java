package dev.sprig.core.ops.nn;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import dev.sprig.kernels.KernelProvider;
import dev.sprig.kernels.pool.PoolGeometry;
import dev.sprig.kernels.pool.PoolKernels;
import java.util.Arrays;

/**
 * ONNX {@code MaxPool} and {@code AveragePool}: kernel_shape, strides, pads, auto_pad, dilations,
 * ceil_mode, (AveragePool) count_include_pad and (MaxPool) storage_order of the Indices output.
 * 1-D and 2-D FLOAT pooling runs on the backend's {@link PoolKernels} (1-D as a height of 1),
 * planes split over the threads; 3-D pooling, MaxPool's Indices output and INT8/UINT8 MaxPool run
 * the direct loops of {@link NdPooling} (integers are exact in float, and the maximum of them is
 * one of them).
 */
final class PoolOperator implements Operator {

    /** Output floats below which another thread is not worth waking. */
    private static final int MIN_OUTPUTS_PER_THREAD = 1 << 14;

    private final String name;
    private final boolean max;
    private final int[] kernelShape;
    private final String autoPad;
    private final int[] pads;
    private final int[] strides;
    private final int[] dilations;
    private final boolean ceilMode;
    private final boolean countIncludePad;
    private final boolean wantIndices;
    private final boolean columnMajor;

    private PoolOperator(Node node, boolean max) {
        this.name = node.describe();
        this.max = max;
        this.kernelShape = NnAttributes.intsAtLeast(node, "kernel_shape", 1);
        if (kernelShape == null) {
            throw new ModelException(name + ": required attribute 'kernel_shape' is missing");
        }
        this.autoPad = NnAttributes.autoPad(node);
        this.pads = NnAttributes.intsAtLeast(node, "pads", 0);
        this.strides = NnAttributes.intsAtLeast(node, "strides", 1);
        this.dilations = NnAttributes.intsAtLeast(node, "dilations", 1);
        this.ceilMode = NnAttributes.flag(node, "ceil_mode", false);
        this.countIncludePad = !max && NnAttributes.flag(node, "count_include_pad", false);
        this.wantIndices = max && node.outputs().size() > 1 && !node.outputs().get(1).isEmpty();
        long order = node.attrInt("storage_order", 0);
        if (order != 0 && order != 1) {
            throw new ModelException(name + ": storage_order must be 0 (row-major) or 1 (column-major), got " + order);
        }
        this.columnMajor = order == 1;
    }

    /** The MaxPool factory. */
    static Operator maxPool(Node node, int opset) {
        return new PoolOperator(node, true);
    }

    /** The AveragePool factory. */
    static Operator averagePool(Node node, int opset) {
        return new PoolOperator(node, false);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor x = NnInputs.required(name, "X", inputs, 0).contiguous();
        boolean integer = x.dtype() == DType.UINT8 || x.dtype() == DType.INT8;
        if (x.dtype() != DType.FLOAT && !(max && integer)) {
            throw new IllegalArgumentException(name + ": X must be FLOAT" + (max ? " (or INT8/UINT8)" : "")
                    + ", got " + x.dtype());
        }
        int rank = x.shape().rank();
        int n = rank - 2;
        if (n < 1 || n != kernelShape.length) {
            throw new IllegalArgumentException(name + ": X " + x.shape() + " must be N x C plus one spatial axis per"
                    + " kernel_shape entry " + Arrays.toString(kernelShape));
        }
        int[] in = Arrays.copyOfRange(x.shape().dims(), 2, rank);
        int[] st = SpatialPads.perAxis(name, "strides", strides, n);
        int[] dl = SpatialPads.perAxis(name, "dilations", dilations, n);
        int[] p = SpatialPads.resolve(name, autoPad, pads, in, kernelShape, st, dl);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = NdPooling.outSize(name, in[i], p[i], p[i + n], kernelShape[i], st[i], dl[i], ceilMode);
        }
        int[] yDims = x.shape().dims();
        System.arraycopy(out, 0, yDims, 2, n);
        Shape yShape = Shape.of(yDims);
        int planes = x.shape().dim(0) * x.shape().dim(1);
        if (n <= 2 && !wantIndices) {
            // an 8-bit max pool runs the vector kernel on the values as floats: a maximum of
            // integers is one of them, exact (shufflenet-v2-12-int8's one MaxPool took 9 ms in the
            // N-d loop, a tenth of the model)
            Tensor xf = integer ? Tensor.of(toFloat(x), x.shape().dims()) : x;
            Tensor y = integer ? Tensor.zeros(DType.FLOAT, yShape) : context.zeros(DType.FLOAT, yShape);
            PoolGeometry g = n == 2
                    ? new PoolGeometry(planes, in[0], in[1], kernelShape[0], kernelShape[1], st[0], st[1], dl[0], dl[1],
                            p[0], p[1], p[2], p[3], ceilMode)
                    : new PoolGeometry(planes, 1, in[0], 1, kernelShape[0], 1, st[0], 1, dl[0], 0, p[0], 0, p[1],
                            ceilMode);
            poolPlanes(g, xf, y, context);
            return new Tensor[]{integer ? fromFloat(x.dtype(), y.floatData(), yShape) : y};
        }
        float[] xf = integer ? toFloat(x) : x.floatData();
        if (!integer && x.offset() != 0) {
            xf = Arrays.copyOfRange(xf, x.offset(), x.offset() + x.size());
        }
        float[] yf = new float[yShape.size()];
        long[] idx = wantIndices ? new long[yShape.size()] : null;
        NdPooling.pool(max, countIncludePad, planes, in, out, kernelShape, st, dl, p, xf, yf, idx, columnMajor);
        Tensor y = integer ? fromFloat(x.dtype(), yf, yShape) : Tensor.wrap(DType.FLOAT, yf, yShape);
        return wantIndices ? new Tensor[]{y, Tensor.wrap(DType.INT64, idx, yShape)} : new Tensor[]{y};
    }

    /** Runs the 2-D kernel over blocks of whole planes, one task each (a plane's result does not depend on the split). */
    private void poolPlanes(PoolGeometry g, Tensor x, Tensor y, OpContext context) {
        PoolKernels kernels = KernelProvider.backend().pool();
        int inPlane = g.height() * g.width();
        int outPlane = g.outHeight() * g.outWidth();
        int planes = g.planes();
        int threads = (int) Math.max(1, Math.min(context.pool().threads(),
                (long) planes * outPlane * kernelShapeSize() / MIN_OUTPUTS_PER_THREAD));
        int tasks = Math.min(planes, threads * 4);
        int per = Math.max(1, Math.ceilDiv(planes, Math.max(1, tasks)));
        float[] xd = x.floatData();
        float[] yd = y.floatData();
        context.pool().parallelFor(Math.ceilDiv(planes, per), threads, t -> {
            int p0 = t * per;
            int count = Math.min(per, planes - p0);
            PoolGeometry part = g.withPlanes(count);
            if (max) {
                kernels.maxPool(part, xd, x.offset() + p0 * inPlane, yd, p0 * outPlane);
            } else {
                kernels.averagePool(part, countIncludePad, xd, x.offset() + p0 * inPlane, yd, p0 * outPlane);
            }
        });
    }

    private long kernelShapeSize() {
        long s = 1;
        for (int k : kernelShape) {
            s *= k;
        }
        return s;
    }

    private static float[] toFloat(Tensor x) {
        byte[] b = x.byteData();
        float[] f = new float[x.size()];
        boolean unsigned = x.dtype() == DType.UINT8;
        for (int i = 0; i < f.length; i++) {
            byte v = b[x.offset() + i];
            f[i] = unsigned ? v & 0xFF : v;
        }
        return f;
    }

    private static Tensor fromFloat(DType type, float[] f, Shape shape) {
        byte[] b = new byte[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = (byte) (int) f[i]; // a maximum of inputs: exact and in range
        }
        return Tensor.wrap(type, b, shape);
    }
}
