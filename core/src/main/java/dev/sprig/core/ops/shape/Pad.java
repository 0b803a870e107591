package dev.sprig.core.ops.shape;

import dev.sprig.core.ModelException;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import java.util.Arrays;
import java.util.Locale;

/**
 * ONNX Pad: {@code pads = [b_1, ..., b_n, e_1, ..., e_n]} elements added before and after each axis
 * (negative values crop). Output index o of an axis reads input index {@code o - b}; outside
 * [0, d) the mode decides: {@code constant} (the value), {@code edge} (the nearest end),
 * {@code reflect} (mirrored without repeating the end), {@code wrap} (opset 19: modulo d).
 *
 * <p>Opset 1 takes {@code paddings}, opset 2 {@code pads}, as attributes with a float
 * {@code value}; from 11 pads and constant_value are inputs, from 18 an optional axes input
 * says which axes the pads are for.
 */
final class Pad implements Operator {

    private enum Mode { CONSTANT, REFLECT, EDGE, WRAP }

    private final long[] padsAttr;
    private final double valueAttr;
    private final Mode mode;

    private Pad(long[] padsAttr, double valueAttr, Mode mode) {
        this.padsAttr = padsAttr;
        this.valueAttr = valueAttr;
        this.mode = mode;
    }

    static Operator create(Node node, int opset) {
        String m = opset >= 19 ? Args.choice(node, "mode", "constant", "constant", "reflect", "edge", "wrap")
                : Args.choice(node, "mode", "constant", "constant", "reflect", "edge");
        Mode mode = Mode.valueOf(m.toUpperCase(Locale.ROOT));
        if (opset >= 11) {
            return new Pad(null, 0, mode);
        }
        String padsName = opset >= 2 ? "pads" : "paddings";
        long[] pads = node.requireInts(padsName);
        if (pads.length % 2 != 0) {
            throw new ModelException(node.describe() + ": " + padsName + " " + Arrays.toString(pads)
                    + " must have an even length (begin and end per axis)");
        }
        return new Pad(pads, node.attrFloat("value", 0f), mode);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor x = StridedCopy.contiguous(Args.input(inputs, 0, "data"), context);
        int rank = x.shape().rank();
        long[] pads;
        Object fillValue;
        if (padsAttr != null) {
            pads = padsAttr;
            fillValue = Elements.scalarArray(x.dtype(), valueAttr);
        } else {
            pads = Elements.longList(Args.input(inputs, 1, "pads"), "Pad pads");
            Tensor cv = Args.optional(inputs, 2);
            if (cv != null && cv.dtype() != x.dtype()) {
                throw new IllegalArgumentException("Pad constant_value is " + cv.dtype() + ", data is " + x.dtype());
            }
            fillValue = cv == null || cv.size() == 0 ? Elements.scalarArray(x.dtype(), 0)
                    : Elements.oneElement(cv, "Pad constant_value");
            Tensor axesTensor = Args.optional(inputs, 3);
            if (axesTensor != null) {
                pads = expandToAllAxes(pads, Elements.longList(axesTensor, "Pad axes"), rank);
            }
        }
        if (pads.length != 2 * rank) {
            throw new IllegalArgumentException("Pad pads " + Arrays.toString(pads) + " has " + pads.length
                    + " entries, expected " + 2 * rank + " for input " + x.shape());
        }
        int[] inDims = x.shape().dims();
        long[] outDims = new long[rank];
        for (int i = 0; i < rank; i++) {
            outDims[i] = inDims[i] + pads[i] + pads[i + rank];
            if (outDims[i] < 0) {
                throw new IllegalArgumentException("Pad pads " + Arrays.toString(pads) + " crop axis " + i + " of "
                        + x.shape() + " below zero");
            }
            if (inDims[i] == 0 && outDims[i] > 0 && mode != Mode.CONSTANT) {
                throw new IllegalArgumentException("Pad mode " + mode.name().toLowerCase(Locale.ROOT)
                        + " cannot pad the empty axis " + i + " of " + x.shape());
            }
        }
        Tensor out = context.zeros(x.dtype(), Shape.ofLongs(outDims));
        if (out.size() == 0 || rank == 0) {
            System.arraycopy(x.array(), x.offset(), out.array(), 0, out.size());
            return new Tensor[]{out};
        }
        // per axis: the input index each output index reads, -1 for the constant
        int[][] source = new int[rank][];
        for (int a = 0; a < rank; a++) {
            source[a] = sourceIndices((int) outDims[a], inDims[a], (int) pads[a]);
        }
        write(x, out, source, fillValue);
        return new Tensor[]{out};
    }

    private int[] sourceIndices(int outDim, int inDim, int before) {
        int[] map = new int[outDim];
        for (int o = 0; o < outDim; o++) {
            int i = o - before;
            if (i < 0 || i >= inDim) {
                i = switch (mode) {
                    case CONSTANT -> -1;
                    case EDGE -> i < 0 ? 0 : inDim - 1;
                    case WRAP -> Math.floorMod(i, inDim);
                    case REFLECT -> reflect(i, inDim);
                };
            }
            map[o] = i;
        }
        return map;
    }

    /** Index i mirrored into [0, d) about the end elements (period 2(d-1)), as numpy's "reflect". */
    private static int reflect(int i, int d) {
        if (d == 1) {
            return 0;
        }
        int period = 2 * (d - 1);
        int m = Math.floorMod(i, period);
        return m < d ? m : period - m;
    }

    /** Fills {@code out} row by row: constant rows filled, others copied in runs of consecutive sources. */
    private static void write(Tensor x, Tensor out, int[][] source, Object fillValue) {
        int rank = source.length;
        Object src = x.array();
        Object dst = out.array();
        int[] inStrides = x.strides();
        int[] outDims = out.shape().dims();
        int inner = outDims[rank - 1];
        int rows = out.size() / inner;
        int[] idx = new int[rank - 1];
        int[] last = source[rank - 1];
        for (int row = 0; row < rows; row++) {
            int base = x.offset();
            boolean constantRow = false;
            for (int a = 0; a < rank - 1; a++) {
                int s = source[a][idx[a]];
                constantRow |= s < 0;
                base += s * inStrides[a];
            }
            int dstRow = row * inner;
            if (constantRow) {
                Elements.fill(dst, dstRow, inner, fillValue, 0);
            } else {
                int o = 0;
                while (o < inner) {
                    int s = last[o];
                    int run = 1;
                    if (s < 0) {
                        while (o + run < inner && last[o + run] < 0) {
                            run++;
                        }
                        Elements.fill(dst, dstRow + o, run, fillValue, 0);
                    } else {
                        while (o + run < inner && last[o + run] == s + run) {
                            run++;
                        }
                        System.arraycopy(src, base + s, dst, dstRow + o, run);
                    }
                    o += run;
                }
            }
            for (int a = rank - 2; a >= 0; a--) {
                if (++idx[a] < outDims[a]) {
                    break;
                }
                idx[a] = 0;
            }
        }
    }

    /** Opset 18's pads for listed axes, spread over all axes (0 for the others). */
    private static long[] expandToAllAxes(long[] pads, long[] axes, int rank) {
        if (pads.length != 2 * axes.length) {
            throw new IllegalArgumentException("Pad pads " + Arrays.toString(pads) + " has " + pads.length
                    + " entries, expected " + 2 * axes.length + " for axes " + Arrays.toString(axes));
        }
        int[] a = Args.axes(axes, rank, true, "Pad axes");
        long[] full = new long[2 * rank];
        for (int i = 0; i < a.length; i++) {
            full[a[i]] = pads[i];
            full[a[i] + rank] = pads[i + a.length];
        }
        return full;
    }
}
