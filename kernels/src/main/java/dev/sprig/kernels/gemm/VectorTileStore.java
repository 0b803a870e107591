package dev.sprig.kernels.gemm;

import dev.sprig.kernels.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The general store of the vector GEMM tiles (edges, beta, epilogue), lane for lane the same
 * arithmetic as {@link SgemmMicrokernelScalar#store}. The tiles spill their accumulators to an
 * array first: passing the vectors themselves to a method C2 does not inline (a tile hits
 * NodeCountInliningCutoff) boxes them all, which ran the whole GEMM at a tenth of its speed.
 */
record VectorTileStore(int nr, float[] c, int ldc, int cols, float alpha, float beta, boolean accumulate,
                       Epilogue epilogue, int col0) {

    private static final VectorSpecies<Float> F = VectorWidth.FLOAT;
    private static final int W = F.length();

    /** Stores {@code rows} rows of accumulators spilled row-major, nr floats a row, into C. */
    void rows(float[] acc, int rows, int cOff, int row0) {
        for (int r = 0; r < rows; r++) {
            int ci = cOff + r * ldc;
            for (int j = 0; j < cols; j += W) {
                half(FloatVector.fromArray(F, acc, r * nr + j), ci + j, cols - j, row0 + r, col0 + j);
            }
        }
    }

    // two paths, no nullable mask: a phi merging a null VectorMask with a real one crashed
    // C2 (SIGSEGV in the compiled store, JDK 25.0.3) the first time this was written that way
    private void half(FloatVector acc, int ci, int valid, int row, int col) {
        if (valid >= W) {
            FloatVector v = combine(acc, accumulate || beta != 0f ? FloatVector.fromArray(F, c, ci) : acc);
            if (epilogue != null) {
                v = activate(epilogue.bias() == Epilogue.Bias.PER_COLUMN
                        ? v.add(FloatVector.fromArray(F, epilogue.biasData(), epilogue.biasOffset() + col))
                        : addRowBias(v, row));
            }
            v.intoArray(c, ci);
        } else {
            VectorMask<Float> mask = F.indexInRange(0, valid);
            FloatVector v = combine(acc, accumulate || beta != 0f ? FloatVector.fromArray(F, c, ci, mask) : acc);
            if (epilogue != null) {
                v = activate(epilogue.bias() == Epilogue.Bias.PER_COLUMN
                        ? v.add(FloatVector.fromArray(F, epilogue.biasData(), epilogue.biasOffset() + col, mask))
                        : addRowBias(v, row));
            }
            v.intoArray(c, ci, mask);
        }
    }

    /** alpha * acc combined with the old C values, as {@link SgemmMicrokernelScalar#store} does. */
    private FloatVector combine(FloatVector acc, FloatVector old) {
        if (accumulate) {
            return acc.fma(FloatVector.broadcast(F, alpha), old);
        } else if (beta == 0f) {
            return acc.mul(alpha);
        }
        return acc.fma(FloatVector.broadcast(F, alpha), old.mul(beta));
    }

    private FloatVector addRowBias(FloatVector v, int row) {
        return epilogue.bias() == Epilogue.Bias.PER_ROW
                ? v.add(epilogue.biasData()[epilogue.biasOffset() + row])
                : v;
    }

    private FloatVector activate(FloatVector v) {
        return switch (epilogue.activation()) {
            case NONE -> v;
            case RELU -> v.max(0f);
            case CLIP -> v.max(epilogue.min()).min(epilogue.max());
        };
    }
}
