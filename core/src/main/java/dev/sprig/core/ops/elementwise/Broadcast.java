package dev.sprig.core.ops.elementwise;

import dev.sprig.core.Shape;

/**
 * The one broadcasting index walk of the elementwise operators, for any number of operands and
 * any element type: ONNX multidirectional broadcasting of the operand shapes, walked as an outer
 * index times an inner run. The run is the longest suffix of axes on which every operand is
 * either present on each non-1 axis or broadcast on each, so inside a run every operand moves by
 * a fixed {@link #step} of 1 (contiguous) or 0 (one broadcast element). The typed loops of
 * {@link BroadcastLoops} and the operators only write the inner loop.
 *
 * <p>Offsets are element offsets into the contiguous, row-major operands (from their first
 * element); callers add a tensor's own {@code offset()}.
 */
final class Broadcast {

    /** One inner run: output elements {@code [outOffset, outOffset + length)}. */
    @FunctionalInterface
    interface Run {
        /**
         * {@code operandOffsets[k]} is operand k's element for the run's first output element;
         * the array is reused between runs and must not be kept.
         */
        void accept(int outOffset, int[] operandOffsets, int length);
    }

    private final Shape shape;
    private final int[][] strides;
    private final int innerAxis;
    private final int innerLength;
    private final int[] step;

    private Broadcast(Shape shape, int[][] strides, int innerAxis, int innerLength, int[] step) {
        this.shape = shape;
        this.strides = strides;
        this.innerAxis = innerAxis;
        this.innerLength = innerLength;
        this.step = step;
    }

    /**
     * The walk over the broadcast of {@code shapes}.
     *
     * @throws IllegalArgumentException naming the shapes when they do not broadcast
     */
    static Broadcast of(Shape... shapes) {
        Shape out = shapes[0];
        for (int k = 1; k < shapes.length; k++) {
            out = Shape.broadcast(out, shapes[k]);
        }
        int rank = out.rank();
        int[][] strides = new int[shapes.length][];
        for (int k = 0; k < shapes.length; k++) {
            strides[k] = alignedStrides(shapes[k], out);
        }
        // the inner run: from the last axis inwards while every operand keeps the presence
        // pattern it has on the innermost non-1 axis (size-1 axes fit any pattern)
        boolean[] present = null;
        int inner = 1;
        int innerAxis = rank;
        for (int axis = rank - 1; axis >= 0; axis--) {
            int d = out.dim(axis);
            if (d != 1) {
                if (present == null) {
                    present = new boolean[shapes.length];
                    for (int k = 0; k < shapes.length; k++) {
                        present[k] = strides[k][axis] != 0;
                    }
                } else if (!samePattern(present, strides, axis)) {
                    break;
                }
            }
            inner *= d;
            innerAxis = axis;
        }
        int[] step = new int[shapes.length];
        for (int k = 0; k < shapes.length; k++) {
            // all-ones shapes have a single element: any step reads it
            step[k] = present == null || present[k] ? 1 : 0;
        }
        return new Broadcast(out, strides, innerAxis, inner, step);
    }

    /** The broadcast output shape. */
    Shape shape() {
        return shape;
    }

    /** How far operand {@code k} moves per output element inside a run: 1 or 0. */
    int step(int k) {
        return step[k];
    }

    /** Calls {@code run} for every inner run, in output order; nothing for an empty output. */
    void forEachRun(Run run) {
        if (shape.size() == 0) {
            return;
        }
        int operands = strides.length;
        int[] offsets = new int[operands];
        int[] idx = new int[innerAxis];
        int outer = shape.size() / innerLength;
        for (int o = 0; o < outer; o++) {
            run.accept(o * innerLength, offsets, innerLength);
            // odometer over the outer axes, moving every operand's offset with it
            for (int axis = innerAxis - 1; axis >= 0; axis--) {
                for (int k = 0; k < operands; k++) {
                    offsets[k] += strides[k][axis];
                }
                if (++idx[axis] < shape.dim(axis)) {
                    break;
                }
                for (int k = 0; k < operands; k++) {
                    offsets[k] -= strides[k][axis] * idx[axis];
                }
                idx[axis] = 0;
            }
        }
    }

    private static boolean samePattern(boolean[] present, int[][] strides, int axis) {
        for (int k = 0; k < present.length; k++) {
            if ((strides[k][axis] != 0) != present[k]) {
                return false;
            }
        }
        return true;
    }

    /** Contiguous strides of {@code s} aligned to the output's axes, 0 where {@code s} is broadcast. */
    private static int[] alignedStrides(Shape s, Shape out) {
        int rank = out.rank();
        int[] own = s.contiguousStrides();
        int[] st = new int[rank];
        for (int i = 0; i < rank; i++) {
            int j = i - (rank - s.rank());
            st[i] = j < 0 || s.dim(j) == 1 ? 0 : own[j];
        }
        return st;
    }
}
