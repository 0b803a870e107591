package dev.sprig.core.ops.shape;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import java.util.Arrays;
import java.util.Locale;

/**
 * ONNX Resize (opsets 10, 11, 13, 18, 19) and the deprecated Upsample (7, 9): each output element
 * samples the input at x_original = coordinate transformation of its index, per axis.
 *
 * <p>Nearest works on every dtype (a gather of elements). Linear and cubic (Keys, cubic_coeff_a,
 * exclude_outside, and the antialias of opset 18) work on FLOAT: separably, one axis at a time
 * from the innermost, in double precision, rounded to float once at the end. Axes the resize
 * leaves unchanged are skipped. The output size is floor(in * scale) with scales, or the sizes
 * (with keep_aspect_ratio_policy from 18); {@code axes} (18) restricts both to listed axes.
 */
final class Resize implements Operator {

    private final ResizeAxis.Settings settings;
    private final double extrapolation;
    private final long[] axesAttr;
    private final String keepAspect;
    private final int roiInput;
    private final int scalesInput;
    private final int sizesInput;
    private final float[] scalesAttr;

    private Resize(ResizeAxis.Settings settings, double extrapolation, long[] axesAttr, String keepAspect,
                   int roiInput, int scalesInput, int sizesInput, float[] scalesAttr) {
        this.settings = settings;
        this.extrapolation = extrapolation;
        this.axesAttr = axesAttr;
        this.keepAspect = keepAspect;
        this.roiInput = roiInput;
        this.scalesInput = scalesInput;
        this.sizesInput = sizesInput;
        this.scalesAttr = scalesAttr;
    }

    /** Resize of any opset from 10. */
    static Operator create(Node node, int opset) {
        String mode = Args.choice(node, "mode", "nearest", "nearest", "linear", "cubic");
        ResizeAxis.Kernel kernel = ResizeAxis.Kernel.valueOf(mode.toUpperCase(Locale.ROOT));
        if (opset < 11) {
            if (kernel == ResizeAxis.Kernel.CUBIC) {
                throw new ModelException(node.describe() + ": Resize-10 has no cubic mode");
            }
            ResizeAxis.Settings s = new ResizeAxis.Settings(kernel, "asymmetric", "simple", -0.75, false, false);
            return new Resize(s, 0, null, "stretch", -1, 1, -1, null);
        }
        String[] coordinateModes = opset >= 19
                ? new String[]{"half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners",
                        "asymmetric", "tf_half_pixel_for_nn", "tf_crop_and_resize"}
                : new String[]{"half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric",
                        "tf_half_pixel_for_nn", "tf_crop_and_resize"};
        String coordinate = Args.choice(node, "coordinate_transformation_mode", "half_pixel", coordinateModes);
        String nearest = Args.choice(node, "nearest_mode", "round_prefer_floor", "round_prefer_floor",
                "round_prefer_ceil", "floor", "ceil");
        boolean antialias = opset >= 18 && node.attrInt("antialias", 0) != 0;
        if (antialias && kernel == ResizeAxis.Kernel.NEAREST) {
            throw new ModelException(node.describe() + ": antialias applies to linear and cubic modes, not nearest");
        }
        String keep = opset >= 18
                ? Args.choice(node, "keep_aspect_ratio_policy", "stretch", "stretch", "not_larger", "not_smaller")
                : "stretch";
        ResizeAxis.Settings s = new ResizeAxis.Settings(kernel, coordinate, nearest,
                node.attrFloat("cubic_coeff_a", -0.75f), node.attrInt("exclude_outside", 0) != 0, antialias);
        long[] axes = opset >= 18 ? node.attrInts("axes", null) : null;
        return new Resize(s, node.attrFloat("extrapolation_value", 0f), axes, keep, 1, 2, 3, null);
    }

    /** Upsample-7 (scales attribute) and -9 (scales input): asymmetric nearest or linear. */
    static Operator createUpsample(Node node, int opset) {
        String mode = Args.choice(node, "mode", "nearest", "nearest", "linear", "bilinear");
        ResizeAxis.Kernel kernel = mode.equals("nearest") ? ResizeAxis.Kernel.NEAREST : ResizeAxis.Kernel.LINEAR;
        ResizeAxis.Settings s = new ResizeAxis.Settings(kernel, "asymmetric", "simple", -0.75, false, false);
        float[] scales = null;
        if (opset < 9) {
            scales = node.attrFloats("scales", null);
            if (scales == null) {
                throw new ModelException(node.describe() + ": required attribute 'scales' is missing");
            }
        }
        return new Resize(s, 0, null, "stretch", -1, opset < 9 ? -1 : 1, -1, scales);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor x = StridedCopy.contiguous(Args.input(inputs, 0, "X"), context);
        int rank = x.shape().rank();
        int[] axes = new int[rank];
        for (int i = 0; i < rank; i++) {
            axes[i] = i;
        }
        if (axesAttr != null) {
            axes = Args.axes(axesAttr, rank, true, "Resize axes");
        }
        double[] scales = new double[rank];
        int[] outDims = x.shape().dims();
        Arrays.fill(scales, 1.0);
        float[] scaleList = scalesAttr;
        Tensor scalesTensor = scalesInput >= 0 ? Args.optional(inputs, scalesInput) : null;
        if (scalesTensor != null && scalesTensor.size() > 0) {
            if (scalesTensor.dtype() != DType.FLOAT) {
                throw new IllegalArgumentException("Resize scales must be FLOAT, got " + scalesTensor.dtype());
            }
            Tensor sc = scalesTensor.contiguous();
            scaleList = Arrays.copyOfRange(sc.floatData(), sc.offset(), sc.offset() + sc.size());
        }
        Tensor sizesTensor = sizesInput >= 0 ? Args.optional(inputs, sizesInput) : null;
        long[] sizes = sizesTensor != null && sizesTensor.size() > 0 ? Elements.longList(sizesTensor, "Resize sizes")
                : null;
        if ((scaleList == null) == (sizes == null)) {
            throw new IllegalArgumentException("Resize needs exactly one of scales and sizes, got "
                    + (sizes == null ? "neither" : "both"));
        }
        if (scaleList != null) {
            requireLength(scaleList.length, axes.length, "scales", x);
            for (int i = 0; i < axes.length; i++) {
                if (!(scaleList[i] > 0)) {
                    throw new IllegalArgumentException("Resize scales " + Arrays.toString(scaleList)
                            + " must be positive");
                }
                scales[axes[i]] = scaleList[i];
                outDims[axes[i]] = Elements.toInt((long) Math.floor(scaleList[i] * (double) outDims[axes[i]]),
                        "Resize output dimension");
            }
        } else {
            requireLength(sizes.length, axes.length, "sizes", x);
            sizesToScales(x.shape(), axes, sizes, scales, outDims);
        }
        double[] roi = roi(inputs, rank, axes);
        ResizeAxis[] plans = new ResizeAxis[rank];
        for (int a = 0; a < rank; a++) {
            double width = sizes != null && keepAspect.equals("stretch") ? outDims[a] : scales[a] * x.shape().dim(a);
            plans[a] = ResizeAxis.plan(settings, x.shape().dim(a), outDims[a], scales[a], width, roi[a], roi[a + rank]);
        }
        Shape outShape = Shape.of(outDims);
        if (settings.kernel() == ResizeAxis.Kernel.NEAREST) {
            return new Tensor[]{nearest(x, plans, outShape)};
        }
        if (x.dtype() != DType.FLOAT) {
            throw new IllegalArgumentException("Resize " + settings.kernel().name().toLowerCase(Locale.ROOT)
                    + " needs a FLOAT input, got " + x.dtype() + " (nearest works on every dtype)");
        }
        return new Tensor[]{interpolate(x, plans, outShape)};
    }

    private void sizesToScales(Shape in, int[] axes, long[] sizes, double[] scales, int[] outDims) {
        for (int i = 0; i < axes.length; i++) {
            if (sizes[i] < 0) {
                throw new IllegalArgumentException("Resize sizes " + Arrays.toString(sizes) + " must not be negative");
            }
            outDims[axes[i]] = Elements.toInt(sizes[i], "Resize size");
            scales[axes[i]] = (double) sizes[i] / in.dim(axes[i]);
        }
        if (!keepAspect.equals("stretch")) {
            double s = keepAspect.equals("not_larger") ? Double.MAX_VALUE : 0;
            for (int a : axes) {
                s = keepAspect.equals("not_larger") ? Math.min(s, scales[a]) : Math.max(s, scales[a]);
            }
            for (int a : axes) {
                scales[a] = s;
                // round half up, as the spec's round(scale * in) for the positive sizes here
                outDims[a] = (int) (s * in.dim(a) + 0.5);
            }
        }
    }

    /** The roi as [starts..., ends...] over all axes (0 and 1 where not given); only tf_crop_and_resize reads it. */
    private double[] roi(Tensor[] inputs, int rank, int[] axes) {
        double[] roi = new double[2 * rank];
        Arrays.fill(roi, rank, 2 * rank, 1.0);
        if (!settings.coordinateMode().equals("tf_crop_and_resize")) {
            return roi;
        }
        Tensor t = roiInput >= 0 ? Args.optional(inputs, roiInput) : null;
        if (t == null || t.size() == 0) {
            throw new IllegalArgumentException("Resize with tf_crop_and_resize needs the roi input");
        }
        double[] v = t.toDoubleArray();
        if (v.length != 2 * axes.length) {
            throw new IllegalArgumentException("Resize roi has " + v.length + " values, expected " + 2 * axes.length);
        }
        for (int i = 0; i < axes.length; i++) {
            roi[axes[i]] = v[i];
            roi[axes[i] + rank] = v[i + axes.length];
        }
        return roi;
    }

    /** Nearest: every output element is one input element (or the extrapolation value), any dtype. */
    private Tensor nearest(Tensor x, ResizeAxis[] plans, Shape outShape) {
        Tensor out = Tensor.zeros(x.dtype(), outShape);
        int rank = plans.length;
        if (out.size() == 0) {
            return out;
        }
        Object src = x.array();
        Object dst = out.array();
        Object fill = Elements.scalarArray(x.dtype(), extrapolation);
        if (rank == 0) {
            System.arraycopy(src, x.offset(), dst, 0, 1);
            return out;
        }
        int[] inStrides = x.strides();
        ResizeAxis last = plans[rank - 1];
        int inner = last.outLen;
        boolean lastOutside = false;
        for (boolean b : last.outside) {
            lastOutside |= b;
        }
        int rows = out.size() / inner;
        int[] idx = new int[rank - 1];
        for (int row = 0; row < rows; row++) {
            int base = x.offset();
            boolean outside = false;
            for (int a = 0; a < rank - 1; a++) {
                outside |= plans[a].outside[idx[a]];
                base += plans[a].index[idx[a]] * inStrides[a];
            }
            int at = row * inner;
            if (outside) {
                Elements.fill(dst, at, inner, fill, 0);
            } else if (!lastOutside) {
                Elements.gather(src, base, last.index, dst, at);
            } else {
                for (int o = 0; o < inner; o++) {
                    if (last.outside[o]) {
                        System.arraycopy(fill, 0, dst, at + o, 1);
                    } else {
                        System.arraycopy(src, base + last.index[o], dst, at + o, 1);
                    }
                }
            }
            for (int a = rank - 2; a >= 0; a--) {
                if (++idx[a] < plans[a].outLen) {
                    break;
                }
                idx[a] = 0;
            }
        }
        return out;
    }

    /** Linear / cubic on FLOAT: one pass per changed axis, innermost first, in double. */
    private Tensor interpolate(Tensor x, ResizeAxis[] plans, Shape outShape) {
        int rank = plans.length;
        int[] dims = x.shape().dims();
        double[] cur = new double[x.size()];
        float[] xs = x.floatData();
        for (int i = 0; i < cur.length; i++) {
            cur[i] = xs[x.offset() + i];
        }
        for (int a = rank - 1; a >= 0; a--) {
            ResizeAxis p = plans[a];
            if (p.isIdentity()) {
                continue;
            }
            int outer = (int) Elements.product(dims, 0, a);
            int inner = (int) Elements.product(dims, a + 1, rank);
            double[] next = new double[outer * p.outLen * inner];
            for (int o = 0; o < outer; o++) {
                int srcBase = o * p.inLen * inner;
                int dstBase = o * p.outLen * inner;
                for (int j = 0; j < p.outLen; j++) {
                    int dst = dstBase + j * inner;
                    if (p.outside[j]) {
                        Arrays.fill(next, dst, dst + inner, extrapolation);
                        continue;
                    }
                    for (int k = 0; k < p.taps; k++) {
                        double w = p.weight[j * p.taps + k];
                        if (w == 0) {
                            continue;
                        }
                        int src = srcBase + p.index[j * p.taps + k] * inner;
                        for (int i = 0; i < inner; i++) {
                            next[dst + i] += w * cur[src + i];
                        }
                    }
                }
            }
            cur = next;
            dims[a] = p.outLen;
        }
        float[] out = new float[cur.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) cur[i];
        }
        return Tensor.wrap(DType.FLOAT, out, outShape);
    }

    private static void requireLength(int n, int expected, String what, Tensor x) {
        if (n != expected) {
            throw new IllegalArgumentException("Resize " + what + " has " + n + " values, expected " + expected
                    + " for input " + x.shape());
        }
    }
}
