package dev.sprig.kernels.gemm;

import dev.sprig.kernels.Ranges;
import java.util.Objects;

/**
 * What GEMM applies to each result while it is still in registers: an optional bias (one value per
 * row or per column of C) and an optional activation. The full result is
 * {@code C = act(alpha * op(A) * op(B) + beta * C + bias)}.
 */
public final class Epilogue {

    /** Which dimension of C the bias vector runs along. */
    public enum Bias {
        /** No bias. */
        NONE,
        /** {@code bias[biasOffset + i]} added to row i (a conv's per-output-channel bias, C = W * im2col). */
        PER_ROW,
        /** {@code bias[biasOffset + j]} added to column j (a Gemm/MatMul bias, C = X * W). */
        PER_COLUMN
    }

    /** The activation applied last. */
    public enum Activation {
        NONE, RELU, CLIP
    }

    /** No bias, no activation. */
    public static final Epilogue NONE = new Epilogue(Bias.NONE, null, 0, Activation.NONE, 0f, 0f);

    private final Bias bias;
    private final float[] biasData;
    private final int biasOffset;
    private final Activation activation;
    private final float min;
    private final float max;

    private Epilogue(Bias bias, float[] biasData, int biasOffset, Activation activation, float min, float max) {
        this.bias = bias;
        this.biasData = biasData;
        this.biasOffset = biasOffset;
        this.activation = activation;
        this.min = min;
        this.max = max;
    }

    /** Adds {@code data[offset + i]} to every element of row i. */
    public static Epilogue biasPerRow(float[] data, int offset) {
        return new Epilogue(Bias.PER_ROW, Objects.requireNonNull(data, "bias"), offset, Activation.NONE, 0f, 0f);
    }

    /** Adds {@code data[offset + j]} to every element of column j. */
    public static Epilogue biasPerColumn(float[] data, int offset) {
        return new Epilogue(Bias.PER_COLUMN, Objects.requireNonNull(data, "bias"), offset, Activation.NONE, 0f, 0f);
    }

    /** This epilogue followed by {@code max(x, 0)}. */
    public Epilogue relu() {
        return new Epilogue(bias, biasData, biasOffset, Activation.RELU, 0f, 0f);
    }

    /** This epilogue followed by {@code min(max(x, min), max)} (ONNX Clip; NaN stays NaN). */
    public Epilogue clip(float min, float max) {
        if (!(min <= max)) {
            throw new IllegalArgumentException("clip needs min <= max, got [" + min + ", " + max + "]");
        }
        return new Epilogue(bias, biasData, biasOffset, Activation.CLIP, min, max);
    }

    /** Which dimension the bias runs along, or {@link Bias#NONE}. */
    public Bias bias() {
        return bias;
    }

    /** The bias values (shared, not copied); null without a bias. */
    public float[] biasData() {
        return biasData;
    }

    /** Index in {@link #biasData()} of the bias of row or column 0. */
    public int biasOffset() {
        return biasOffset;
    }

    /** The activation applied after the bias. */
    public Activation activation() {
        return activation;
    }

    /** Lower bound of {@link Activation#CLIP}; 0 for the other activations. */
    public float min() {
        return min;
    }

    /** Upper bound of {@link Activation#CLIP}; 0 for the other activations. */
    public float max() {
        return max;
    }

    /** True when there is nothing to apply. */
    public boolean isNone() {
        return bias == Bias.NONE && activation == Activation.NONE;
    }

    /** Checks the bias vector covers an m x n result. */
    void checkFor(int m, int n) {
        switch (bias) {
            case PER_ROW -> Ranges.check("bias (per row)", biasOffset, m, biasData.length);
            case PER_COLUMN -> Ranges.check("bias (per column)", biasOffset, n, biasData.length);
            case NONE -> { }
        }
    }

    /** The epilogue of one element at (row, col): the definition every kernel follows. */
    public float apply(float v, int row, int col) {
        float x = switch (bias) {
            case NONE -> v;
            case PER_ROW -> v + biasData[biasOffset + row];
            case PER_COLUMN -> v + biasData[biasOffset + col];
        };
        return switch (activation) {
            case NONE -> x;
            case RELU -> Math.max(x, 0f);
            case CLIP -> Math.min(Math.max(x, min), max);
        };
    }

    @Override
    public String toString() {
        return "Epilogue[bias=" + bias + ", activation=" + activation
                + (activation == Activation.CLIP ? "(" + min + ", " + max + ")" : "") + "]";
    }
}
