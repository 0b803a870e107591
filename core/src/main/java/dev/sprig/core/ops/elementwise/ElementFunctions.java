package dev.sprig.core.ops.elementwise;

/**
 * The per-element functions the elementwise loops apply, for the primitive types the JDK's
 * {@code java.util.function} lacks (float, boolean pairs).
 */
final class ElementFunctions {

    private ElementFunctions() {
    }

    /** {@code float -> float}. */
    @FunctionalInterface
    interface FloatUnary {
        float apply(float x);
    }

    /** {@code (float, float) -> float}. */
    @FunctionalInterface
    interface FloatBinary {
        float apply(float a, float b);
    }

    /** {@code float -> boolean}. */
    @FunctionalInterface
    interface FloatTest {
        boolean test(float x);
    }

    /** {@code (float, float) -> boolean}. */
    @FunctionalInterface
    interface FloatComparison {
        boolean test(float a, float b);
    }

    /** {@code (long, long) -> boolean}. */
    @FunctionalInterface
    interface LongComparison {
        boolean test(long a, long b);
    }

    /** {@code (boolean, boolean) -> boolean}. */
    @FunctionalInterface
    interface BooleanBinary {
        boolean apply(boolean a, boolean b);
    }

    /**
     * {@code y[yOff+i] = f(x[xOff+i])} for i in [0, n): the shape of the kernels' activation
     * methods, so a kernel and a plain per-element loop are interchangeable.
     */
    @FunctionalInterface
    interface FloatArrayMap {
        void apply(float[] x, int xOff, float[] y, int yOff, int n);

        /** The plain loop applying {@code f} to each element. */
        static FloatArrayMap perElement(FloatUnary f) {
            return (x, xOff, y, yOff, n) -> {
                for (int i = 0; i < n; i++) {
                    y[yOff + i] = f.apply(x[xOff + i]);
                }
            };
        }
    }
}
