package dev.sprig.core.ops.shape;

import dev.sprig.core.ModelException;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import java.util.Arrays;

/**
 * ONNX Reshape: the same elements in row-major order under a new shape, a view when the input is
 * contiguous. In the requested shape a 0 copies the input's dimension at that position (or means
 * an empty dimension when {@code allowzero=1}, opset 14), and one -1 is inferred from the
 * remaining size. Opsets 1-4 take the shape as an attribute, 5 on as an input.
 */
final class Reshape implements Operator {

    private final long[] fixedShape;
    private final boolean allowZero;

    private Reshape(long[] fixedShape, boolean allowZero) {
        this.fixedShape = fixedShape;
        this.allowZero = allowZero;
    }

    /** Opsets 1-4: the {@code shape} attribute. */
    static Operator createV1(Node node, int opset) {
        return new Reshape(node.requireInts("shape"), false);
    }

    /** Opsets 5 on: the shape input, {@code allowzero} from 14. */
    static Operator create(Node node, int opset) {
        long allowZero = opset >= 14 ? node.attrInt("allowzero", 0) : 0;
        if (allowZero != 0 && allowZero != 1) {
            throw new ModelException(node.describe() + ": allowzero must be 0 or 1, got " + allowZero);
        }
        return new Reshape(null, allowZero == 1);
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        Tensor data = Args.input(inputs, 0, "data");
        long[] requested = fixedShape != null ? fixedShape : Elements.longList(Args.input(inputs, 1, "shape"), "shape");
        int[] dims = outputDims(data.shape(), requested, allowZero);
        return new Tensor[]{StridedCopy.contiguous(data, context).reshape(dims)};
    }

    /** The output dimensions for {@code requested} applied to {@code input}, per the ONNX rules. */
    static int[] outputDims(Shape input, long[] requested, boolean allowZero) {
        int[] dims = new int[requested.length];
        int inferred = -1;
        long known = 1;
        boolean hasZero = false;
        for (int i = 0; i < requested.length; i++) {
            long r = requested[i];
            if (r == -1) {
                if (inferred >= 0) {
                    throw new IllegalArgumentException("reshape of " + input + " to " + Arrays.toString(requested)
                            + ": at most one dimension may be -1");
                }
                inferred = i;
                continue;
            }
            if (r < -1) {
                throw new IllegalArgumentException("reshape of " + input + " to " + Arrays.toString(requested)
                        + ": dimension " + i + " is " + r + " (only -1 may be negative)");
            }
            if (r == 0 && !allowZero) {
                if (i >= input.rank()) {
                    throw new IllegalArgumentException("reshape of " + input + " to " + Arrays.toString(requested)
                            + ": dimension " + i + " is 0 (copy the input's) but the input has rank " + input.rank());
                }
                r = input.dim(i);
            }
            if (r == 0) {
                hasZero = true;
            }
            dims[i] = Elements.toInt(r, "reshape dimension");
            known *= dims[i];
            if (known > Shape.MAX_ELEMENTS) {
                throw new IllegalArgumentException("reshape of " + input + " to " + Arrays.toString(requested)
                        + ": the shape has more elements than an array can hold");
            }
        }
        if (inferred >= 0) {
            if (hasZero) {
                throw new IllegalArgumentException("reshape of " + input + " to " + Arrays.toString(requested)
                        + ": -1 cannot be inferred next to a dimension of 0");
            }
            if (input.size() % known != 0) {
                throw new IllegalArgumentException("cannot reshape " + input + " (" + input.size() + " elements) to "
                        + Arrays.toString(requested) + ": " + input.size() + " is not a multiple of " + known);
            }
            dims[inferred] = (int) (input.size() / known);
        } else if (known != input.size()) {
            throw new IllegalArgumentException("cannot reshape " + input + " (" + input.size() + " elements) to "
                    + Shape.of(dims) + " (" + known + " elements)");
        }
        return dims;
    }
}
