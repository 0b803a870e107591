package dev.sprig.core.ops.elementwise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Attribute;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The unary math ops and activations against java.lang.Math in double on random data (with
 * zeros, signed zeros, exact halves and integers), on random shapes including scalars and
 * size-0 axes.
 */
class UnaryOperatorsTest {

    /** Kernel-backed ops (Exp, Erf, Sigmoid, Tanh, Gelu) are within 1e-6 relative; the rest round once. */
    private static final double KERNEL_REL = 2e-6;

    @Test
    void floatOpsMatchMathReference() {
        check("Sqrt", 13, List.of(), Math::sqrt, 0);
        check("Exp", 13, List.of(), Math::exp, KERNEL_REL);
        check("Log", 13, List.of(), Math::log, 0);
        check("Reciprocal", 13, List.of(), x -> 1 / x, 0);
        check("Neg", 13, List.of(), x -> -x, 0);
        check("Abs", 13, List.of(), Math::abs, 0);
        check("Floor", 13, List.of(), Math::floor, 0);
        check("Ceil", 13, List.of(), Math::ceil, 0);
        check("Round", 22, List.of(), UnaryOperatorsTest::roundHalfEven, 0);
        check("Sign", 13, List.of(), Math::signum, 0);
        check("Tanh", 13, List.of(), Math::tanh, KERNEL_REL);
        check("Sigmoid", 13, List.of(), x -> 1 / (1 + Math.exp(-x)), KERNEL_REL);
        check("Erf", 13, List.of(), UnaryOperatorsTest::erf, KERNEL_REL);
        check("Gelu", 20, List.of(), x -> x / 2 * (1 + erf(x / Math.sqrt(2))), 1e-5);
        check("Gelu", 20, List.of(Attribute.of("approximate", "tanh")),
                x -> x / 2 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))), 3e-5);
        check("Relu", 14, List.of(), x -> Math.max(x, 0), 0);
        check("LeakyRelu", 16, List.of(), x -> x < 0 ? 0.01f * x : x, 1e-7);
        check("LeakyRelu", 6, List.of(Attribute.of("alpha", 0.3f)), x -> x < 0 ? 0.3f * x : x, 1e-7);
        check("Elu", 22, List.of(), x -> x < 0 ? Math.exp(x) - 1 : x, 1e-7);
        check("Elu", 6, List.of(Attribute.of("alpha", 2f)), x -> x < 0 ? 2 * (Math.exp(x) - 1) : x, 1e-7);
        double selA = 1.67326319217681884765625;
        double selG = 1.05070102214813232421875;
        check("Selu", 22, List.of(), x -> x > 0 ? selG * x : selG * (selA * Math.exp(x) - selA), 1e-6);
        check("Celu", 12, List.of(Attribute.of("alpha", 2f)),
                x -> Math.max(0, x) + Math.min(0, 2 * (Math.exp(x / 2) - 1)), 1e-6);
        check("HardSigmoid", 22, List.of(), x -> Math.max(0, Math.min(1, 0.2f * x + 0.5f)), 1e-7);
        check("HardSwish", 22, List.of(), x -> x * Math.max(0, Math.min(1, x / 6 + 0.5)), 1e-7);
        check("Softplus", 22, List.of(), x -> Math.log(Math.exp(x) + 1), 1e-7);
        check("Softsign", 22, List.of(), x -> x / (1 + Math.abs(x)), 1e-7);
        check("ThresholdedRelu", 22, List.of(), x -> x > 1 ? x : 0, 0);
        check("Shrink", 9, List.of(Attribute.of("bias", 0.25f)),
                x -> x < -0.5 ? x + 0.25 : x > 0.5 ? x - 0.25 : 0, 1e-7);
        check("Mish", 22, List.of(), x -> x * Math.tanh(Math.log(1 + Math.exp(x))), 1e-6);
        check("Swish", 24, List.of(Attribute.of("alpha", 0.5f)), x -> x / (1 + Math.exp(-0.5 * x)), 1e-6);
        check("Sin", 22, List.of(), Math::sin, 0);
        check("Cos", 7, List.of(), Math::cos, 0);
        check("Tan", 7, List.of(), Math::tan, 0);
        check("Asin", 7, List.of(), Math::asin, 0);
        check("Acos", 7, List.of(), Math::acos, 0);
        check("Atan", 7, List.of(), Math::atan, 0);
        check("Sinh", 9, List.of(), Math::sinh, 0);
        check("Cosh", 9, List.of(), Math::cosh, 0);
        // the textbook formulas, fine in double over [-5, 5]
        check("Asinh", 9, List.of(), x -> Math.log(x + Math.sqrt(x * x + 1)), 1e-7);
        check("Acosh", 9, List.of(), x -> Math.log(x + Math.sqrt(x * x - 1)), 1e-7);
        check("Atanh", 9, List.of(), x -> 0.5 * Math.log((1 + x) / (1 - x)), 1e-7);
    }

    private static void check(String op, int opset, List<Attribute> attrs, DoubleUnaryOperator f, double rel) {
        for (long seed = 0; seed < 150; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int[] dims = ElementwiseTesting.broadcastShapes(r, 1)[0];
            Tensor x = ElementwiseTesting.random(DType.FLOAT, dims, r);
            Tensor y = ElementwiseTesting.run(op, opset, attrs, x);
            ElementwiseTesting.assertShape(y, DType.FLOAT, x.shape(), op);
            long s = seed;
            ElementwiseTesting.forEachIndex(x.shape(), idx -> {
                double in = x.getDouble(idx);
                double expected = (float) f.applyAsDouble(in);
                ElementwiseTesting.assertClose(expected, y.getDouble(idx), rel, 1e-30,
                        op + " seed " + s + " x=" + in + " at " + Arrays.toString(idx));
            });
        }
    }

    private static double roundHalfEven(double x) {
        double f = Math.floor(x);
        double diff = x - f;
        if (diff != 0.5) {
            return diff < 0.5 ? (f == 0 && x < 0 ? -0.0 : f) : f + 1;
        }
        return f % 2 == 0 ? f : f + 1;
    }

    /** erf by its Maclaurin series (small |x|) or continued fraction of erfc: an independent reference. */
    private static double erf(double x) {
        double a = Math.abs(x);
        double result;
        if (a < 2.5) {
            double term = a;
            double sum = a;
            for (int n = 1; n < 200; n++) {
                term *= -a * a / n;
                sum += term / (2 * n + 1);
            }
            result = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            // erfc(a) = exp(-a^2)/sqrt(pi) * 1/(a + 1/2/(a + 1/(a + 3/2/(a + ...))))
            double f = a;
            for (int k = 60; k >= 1; k--) {
                f = a + (k / 2.0) / f;
            }
            result = 1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
        }
        return Math.copySign(result, x);
    }

    @Test
    void integerUnaryOps() {
        checkInt("Neg", 13, new DType[]{DType.INT8, DType.INT32, DType.INT64}, v -> -v);
        checkInt("Abs", 13, new DType[]{DType.INT8, DType.UINT8, DType.INT32, DType.INT64}, Math::abs);
        checkInt("Sign", 13, new DType[]{DType.INT8, DType.UINT8, DType.INT32, DType.INT64}, Long::signum);
        checkInt("Relu", 14, new DType[]{DType.INT8, DType.INT32, DType.INT64}, v -> v < 0 ? 0 : v);
        assertThrows(IllegalArgumentException.class, () ->
                ElementwiseTesting.run("Relu", 13, Tensor.of(new int[]{1}, 1)));
        assertThrows(IllegalArgumentException.class, () -> ElementwiseTesting.run("Neg", 13,
                Tensor.ofUint8(new byte[]{1}, 1)));
    }

    private static void checkInt(String op, int opset, DType[] types, LongUnaryOperator f) {
        for (DType type : types) {
            for (long seed = 0; seed < 50; seed++) {
                SplittableRandom r = new SplittableRandom(seed);
                Tensor x = ElementwiseTesting.random(type, ElementwiseTesting.broadcastShapes(r, 1)[0], r);
                Tensor y = ElementwiseTesting.run(op, opset, x);
                ElementwiseTesting.assertShape(y, type, x.shape(), op);
                ElementwiseTesting.forEachIndex(x.shape(), idx ->
                        assertEquals(ElementwiseTesting.wrap(f.applyAsLong(x.getLong(idx)), type), y.getLong(idx),
                                op + " " + type + " x=" + x.getLong(idx)));
            }
        }
    }

    @Test
    void bitwiseOpsAndShifts() {
        Tensor a = Tensor.of(new int[]{0b1100, -1, 5}, 3);
        Tensor b = Tensor.of(new int[]{0b1010}, 1);
        assertArrayEquals(new int[]{0b1000, 0b1010, 0}, ElementwiseTesting.run("BitwiseAnd", 18, a, b).intData());
        assertArrayEquals(new int[]{0b1110, -1, 0b1111}, ElementwiseTesting.run("BitwiseOr", 18, a, b).intData());
        assertArrayEquals(new int[]{0b0110, ~0b1010, 0b1111}, ElementwiseTesting.run("BitwiseXor", 18, a, b).intData());
        assertArrayEquals(new byte[]{(byte) 0xF0, 0}, ElementwiseTesting.run("BitwiseNot", 18,
                Tensor.ofUint8(new byte[]{0x0F, (byte) 0xFF}, 2)).byteData());
        Tensor x = Tensor.ofUint8(new byte[]{16, 4, 1, (byte) 0x81}, 4);
        Tensor s = Tensor.ofUint8(new byte[]{1, 2, 8, 1}, 4);
        assertArrayEquals(new byte[]{32, 16, 0, 2}, ElementwiseTesting.run("BitShift", 11,
                List.of(Attribute.of("direction", "LEFT")), x, s).byteData());
        assertArrayEquals(new byte[]{8, 1, 0, 0x40}, ElementwiseTesting.run("BitShift", 11,
                List.of(Attribute.of("direction", "RIGHT")), x, s).byteData());
        assertThrows(ModelException.class, () -> ElementwiseTesting.run("BitShift", 11, x, s));
    }

    @Test
    void roundHalvesToEven() {
        Tensor y = ElementwiseTesting.run("Round", 11, Tensor.of(new float[]{0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 2.4f}, 6));
        assertArrayEquals(new float[]{0f, 2f, 2f, -0f, -2f, 2f}, y.floatData());
    }

    @Test
    void isNanAndIsInf() {
        Tensor x = Tensor.of(new float[]{Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f}, 2, 2);
        assertArrayEquals(new boolean[]{true, false, false, false},
                ElementwiseTesting.run("IsNaN", 20, x).booleanData());
        assertArrayEquals(new boolean[]{false, true, true, false},
                ElementwiseTesting.run("IsInf", 20, x).booleanData());
        assertArrayEquals(new boolean[]{false, false, true, false}, ElementwiseTesting.run("IsInf", 10,
                List.of(Attribute.of("detect_positive", 0L)), x).booleanData());
    }

    @Test
    void preluBroadcastsSlopeOntoX() {
        for (long seed = 0; seed < 200; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int[][] dims = ElementwiseTesting.broadcastShapes(r, 2);
            // X carries the output shape; slope is any operand broadcasting onto it
            Tensor x = ElementwiseTesting.random(DType.FLOAT, ElementwiseTesting.expectedShape(
                    Tensor.zeros(DType.FLOAT, dev.sprig.core.Shape.of(dims[0])),
                    Tensor.zeros(DType.FLOAT, dev.sprig.core.Shape.of(dims[1]))).dims(), r);
            Tensor slope = ElementwiseTesting.random(DType.FLOAT, dims[1], r);
            Tensor y = ElementwiseTesting.run("PRelu", 16, x, slope);
            ElementwiseTesting.assertShape(y, DType.FLOAT, x.shape(), "PRelu");
            ElementwiseTesting.forEachIndex(x.shape(), idx -> {
                double v = x.getDouble(idx);
                double expected = v < 0 ? (float) (ElementwiseTesting.at(slope, idx) * v) : v;
                ElementwiseTesting.assertClose(expected, y.getDouble(idx), 0, 0, "PRelu " + Arrays.toString(idx));
            });
        }
        assertThrows(IllegalArgumentException.class, () -> ElementwiseTesting.run("PRelu", 9,
                Tensor.of(new float[]{1, 2}, 2), Tensor.of(new float[]{1, 2, 3, 4}, 2, 2)));
        Tensor yi = ElementwiseTesting.run("PRelu", 9, Tensor.of(new int[]{-3, 4}, 2), Tensor.of(new int[]{2}, 1));
        assertArrayEquals(new int[]{-6, 4}, yi.intData());
    }

    @Test
    void geluRejectsUnknownApproximation() {
        assertThrows(ModelException.class, () -> ElementwiseTesting.run("Gelu", 20,
                List.of(Attribute.of("approximate", "erf")), Tensor.of(new float[]{1}, 1)));
    }
}
