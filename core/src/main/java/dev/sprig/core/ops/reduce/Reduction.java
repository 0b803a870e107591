package dev.sprig.core.ops.reduce;

/**
 * The ten ONNX reductions, each defined by its start value, how a term joins the running value and
 * the final step: {@code ReduceSum = sum x}, {@code ReduceMean = sum x / n},
 * {@code ReduceMax/Min}, {@code ReduceProd = prod x}, {@code ReduceL1 = sum |x|},
 * {@code ReduceL2 = sqrt(sum x^2)}, {@code ReduceSumSquare = sum x^2},
 * {@code ReduceLogSum = ln(sum x)}, {@code ReduceLogSumExp = ln(sum e^x)} (computed as
 * {@code max + ln(sum e^(x - max))} so large inputs do not overflow).
 */
enum Reduction {
    SUM("ReduceSum"),
    MEAN("ReduceMean"),
    MAX("ReduceMax"),
    MIN("ReduceMin"),
    PROD("ReduceProd"),
    L1("ReduceL1"),
    L2("ReduceL2"),
    SUM_SQUARE("ReduceSumSquare"),
    LOG_SUM("ReduceLogSum"),
    LOG_SUM_EXP("ReduceLogSumExp");

    private final String opType;

    Reduction(String opType) {
        this.opType = opType;
    }

    /** The ONNX op type. */
    String opType() {
        return opType;
    }

    /** The value of a reduction over no terms, and the start of the running value. */
    float floatStart() {
        return switch (this) {
            case MAX -> Float.NEGATIVE_INFINITY;
            case MIN -> Float.POSITIVE_INFINITY;
            case PROD -> 1f;
            default -> 0f;
        };
    }

    /** The running value after one more term (for LOG_SUM_EXP the plain {@code sum e^x}; the operator shifts by the max). */
    float join(float acc, float x) {
        return switch (this) {
            case SUM, MEAN, LOG_SUM -> acc + x;
            case MAX -> Math.max(acc, x);
            case MIN -> Math.min(acc, x);
            case PROD -> acc * x;
            case L1 -> acc + Math.abs(x);
            case L2, SUM_SQUARE -> acc + x * x;
            case LOG_SUM_EXP -> acc + (float) Math.exp(x);
        };
    }

    /** The result from the running value over {@code count} terms ({@code max} for LOG_SUM_EXP). */
    float finish(float acc, int count, float max) {
        return switch (this) {
            case MEAN -> acc / count;
            case L2 -> (float) Math.sqrt(acc);
            case LOG_SUM -> (float) Math.log(acc);
            case LOG_SUM_EXP -> Float.isInfinite(max) || Float.isNaN(max) ? max : max + (float) Math.log(acc);
            default -> acc;
        };
    }

    /** Integer start value for an element type with range [min, max]. */
    long longStart(long min, long max) {
        return switch (this) {
            case MAX -> min;
            case MIN -> max;
            case PROD -> 1;
            default -> 0;
        };
    }

    /** The running integer value after one more term (wrapping on overflow). */
    long join(long acc, long x) {
        return switch (this) {
            case SUM, MEAN -> acc + x;
            case MAX -> Math.max(acc, x);
            case MIN -> Math.min(acc, x);
            case PROD -> acc * x;
            case L1 -> acc + Math.abs(x);
            case L2, SUM_SQUARE -> acc + x * x;
            case LOG_SUM, LOG_SUM_EXP -> throw new IllegalStateException(this + " has no integer running value");
        };
    }

    /** The integer result: the mean truncates, the square root rounds down. */
    long finish(long acc, int count) {
        return switch (this) {
            case MEAN -> count == 0 ? 0 : acc / count;
            case L2 -> (long) Math.floor(Math.sqrt((double) acc));
            default -> acc;
        };
    }
}
