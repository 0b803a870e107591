package dev.sprig.core.ops.nn;

import java.util.Arrays;

/**
 * The begin and end pads of the spatial axes of Conv and the pools, from ONNX's {@code auto_pad}
 * and {@code pads}: the result holds {@code [begin_0 .. begin_{n-1}, end_0 .. end_{n-1}]}, the
 * layout of the {@code pads} attribute.
 *
 * <p>With SAME_UPPER / SAME_LOWER the output size is {@code ceil(in / stride)} and the total pad
 * {@code max(0, (out - 1) * stride + (k - 1) * dilation + 1 - in)} is split in half, the odd unit
 * going to the end (UPPER) or to the beginning (LOWER). VALID means no padding; NOTSET takes the
 * explicit pads (zeros when absent).
 */
public final class SpatialPads {

    private SpatialPads() {
    }

    /**
     * Pads for {@code in.length} spatial axes.
     *
     * @throws IllegalArgumentException when explicit pads have the wrong length or a negative value
     */
    public static int[] resolve(String op, String autoPad, int[] pads, int[] in, int[] kernel, int[] strides,
                         int[] dilations) {
        int n = in.length;
        int[] out = new int[2 * n];
        switch (autoPad) {
            case "VALID" -> {
                return out;
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                for (int i = 0; i < n; i++) {
                    long outSize = Math.ceilDiv(in[i], strides[i]);
                    long total = Math.max(0, (outSize - 1) * strides[i] + (long) (kernel[i] - 1) * dilations[i] + 1
                            - in[i]);
                    long small = total / 2;
                    long big = total - small;
                    boolean upper = autoPad.equals("SAME_UPPER");
                    out[i] = (int) (upper ? small : big);
                    out[i + n] = (int) (upper ? big : small);
                }
                return out;
            }
            default -> {
                if (pads == null) {
                    return out;
                }
                if (pads.length != 2 * n) {
                    throw new IllegalArgumentException(op + ": pads must hold " + 2 * n + " values (begin and end for "
                            + n + " spatial axes), got " + Arrays.toString(pads));
                }
                for (int p : pads) {
                    if (p < 0) {
                        throw new IllegalArgumentException(op + ": pads must be >= 0, got " + Arrays.toString(pads));
                    }
                }
                return pads.clone();
            }
        }
    }

    /** {@code values} when it has one entry per spatial axis, all 1s when null; else an error naming the attribute. */
    public static int[] perAxis(String op, String attr, int[] values, int n) {
        if (values == null) {
            int[] ones = new int[n];
            Arrays.fill(ones, 1);
            return ones;
        }
        if (values.length != n) {
            throw new IllegalArgumentException(op + ": " + attr + " must hold one value per spatial axis (" + n
                    + "), got " + Arrays.toString(values));
        }
        return values;
    }
}
