package dev.sprig.core.ops.elementwise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Attribute;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Cast, CastLike, Clip and the variadic Min, Max, Sum, Mean. */
class CastClipVariadicTest {

    private static final DType[] ALL = DType.values();

    @Test
    void castBetweenEveryPairFollowsTheDocumentedRules() {
        for (DType from : ALL) {
            for (DType to : ALL) {
                for (long seed = 0; seed < 20; seed++) {
                    SplittableRandom r = new SplittableRandom(seed);
                    Tensor x = ElementwiseTesting.random(from, ElementwiseTesting.broadcastShapes(r, 1)[0], r);
                    Tensor y = ElementwiseTesting.run("Cast", 21, List.of(Attribute.of("to", (long) to.onnxCode())), x);
                    ElementwiseTesting.assertShape(y, to, x.shape(), "Cast");
                    ElementwiseTesting.forEachIndex(x.shape(), idx -> {
                        String ctx = "Cast " + from + " -> " + to + " x=" + x.getDouble(idx);
                        if (to == DType.FLOAT) {
                            float expected = from == DType.INT64 ? (float) x.getLong(idx) : (float) x.getDouble(idx);
                            assertEquals(expected, y.getFloat(idx), ctx);
                        } else if (to == DType.BOOL) {
                            assertEquals(x.getDouble(idx) != 0, y.getBoolean(idx), ctx);
                        } else {
                            long v = from == DType.FLOAT ? truncate(x.getFloat(idx))
                                    : from == DType.BOOL ? (x.getBoolean(idx) ? 1 : 0) : x.getLong(idx);
                            assertEquals(ElementwiseTesting.wrap(v, to), y.getLong(idx), ctx);
                        }
                    });
                }
            }
        }
    }

    /** Float to integer: toward zero, NaN 0, saturating at the long range (then wrapped by the target). */
    private static long truncate(float f) {
        if (Float.isNaN(f)) {
            return 0;
        }
        double t = f < 0 ? Math.ceil(f) : Math.floor(f);
        return (long) t;
    }

    @Test
    void castExamplesOfTheDocumentedEdgeCases() {
        Tensor x = Tensor.of(new float[]{-1f, 2.9f, -2.9f, 300f, Float.NaN, 3e9f}, 6);
        assertArrayEquals(new byte[]{(byte) 255, 2, (byte) 254, 44, 0, (byte) 0xFF},
                ElementwiseTesting.run("Cast", 6, List.of(Attribute.of("to", 2L)), x).byteData());
        assertArrayEquals(new int[]{-1, 2, -2, 300, 0, Integer.MAX_VALUE},
                ElementwiseTesting.run("Cast", 6, List.of(Attribute.of("to", 6L)), x).intData());
        assertArrayEquals(new boolean[]{true, true, true, true, true, true},
                ElementwiseTesting.run("Cast", 6, List.of(Attribute.of("to", 9L)), x).booleanData());
        assertThrows(ModelException.class, () -> ElementwiseTesting.run("Cast", 6,
                List.of(Attribute.of("to", 11L)), x)); // DOUBLE is not a Sprig type
        Tensor like = ElementwiseTesting.run("CastLike", 15, Tensor.of(new int[]{7, -1}, 2),
                Tensor.of(new float[0], 0));
        assertArrayEquals(new float[]{7, -1}, like.floatData());
    }

    @Test
    void clipAttributesInputsAndIntegers() {
        Tensor x = Tensor.of(new float[]{-3, -1, 0, 1, 3, Float.NaN, Float.POSITIVE_INFINITY}, 7);
        assertArrayEquals(new float[]{-2, -1, 0, 1, 2, Float.NaN, 2}, ElementwiseTesting.run("Clip", 6,
                List.of(Attribute.of("min", -2f), Attribute.of("max", 2f)), x).floatData());
        assertArrayEquals(new float[]{-2, -1, 0, 1, 3, Float.NaN, Float.MAX_VALUE},
                ElementwiseTesting.run("Clip", 13, x, Tensor.scalar(-2)).floatData());
        assertArrayEquals(new float[]{-3, -1, 0, 0.5f, 0.5f, Float.NaN, 0.5f},
                ElementwiseTesting.run("Clip", 11, x, null, Tensor.scalar(0.5f)).floatData());
        // min above max: every element becomes max
        assertArrayEquals(new float[]{1, 1, 1, 1, 1, Float.NaN, 1},
                ElementwiseTesting.run("Clip", 13, x, Tensor.scalar(2), Tensor.scalar(1)).floatData());
        Tensor i8 = Tensor.ofInt8(new byte[]{-128, -5, 0, 5, 127}, 5);
        assertArrayEquals(new byte[]{-4, -4, 0, 5, 6}, ElementwiseTesting.run("Clip", 12, i8,
                Tensor.ofInt8(new byte[]{-4}), Tensor.ofInt8(new byte[]{6})).byteData());
        assertArrayEquals(new byte[]{-128, -5, 0, 5, 127}, ElementwiseTesting.run("Clip", 12, i8).byteData());
        assertThrows(IllegalArgumentException.class, () -> ElementwiseTesting.run("Clip", 11, i8));
        assertThrows(IllegalArgumentException.class, () -> ElementwiseTesting.run("Clip", 13, x,
                Tensor.of(new float[]{1, 2}, 2)));
        assertEquals(0, ElementwiseTesting.run("Clip", 13, Tensor.of(new float[0], 2, 0)).size());
    }

    @Test
    void variadicOpsFoldWithBroadcasting() {
        for (long seed = 0; seed < 200; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int n = 1 + r.nextInt(3);
            int[][] dims = ElementwiseTesting.broadcastShapes(r, n);
            for (DType type : new DType[]{DType.FLOAT, DType.INT32, DType.UINT8}) {
                Tensor[] in = new Tensor[n];
                for (int k = 0; k < n; k++) {
                    in[k] = ElementwiseTesting.random(type, dims[k], r);
                }
                Shape out = ElementwiseTesting.expectedShape(in);
                for (String op : type == DType.FLOAT ? new String[]{"Min", "Max", "Sum", "Mean"}
                        : new String[]{"Min", "Max"}) {
                    Tensor y = ElementwiseTesting.run(op, 13, List.of(), in);
                    ElementwiseTesting.assertShape(y, type, out, op);
                    ElementwiseTesting.forEachIndex(out, idx -> {
                        double acc = ElementwiseTesting.at(in[0], idx);
                        float fsum = (float) acc;
                        for (int k = 1; k < n; k++) {
                            double v = ElementwiseTesting.at(in[k], idx);
                            acc = switch (op) {
                                case "Min" -> Math.min(acc, v);
                                case "Max" -> Math.max(acc, v);
                                default -> acc + v;
                            };
                            fsum += (float) v; // Sum adds in float, left to right
                        }
                        double expected = switch (op) {
                            case "Sum" -> fsum;
                            case "Mean" -> fsum / (float) n;
                            default -> acc;
                        };
                        ElementwiseTesting.assertClose(expected, y.getDouble(idx), 0, 0,
                                op + " " + type + " n=" + n + " " + Arrays.toString(idx));
                    });
                }
            }
        }
    }

    @Test
    void opset6VariadicNeedsEqualShapes() {
        Tensor a = Tensor.of(new float[]{1, 5}, 2);
        Tensor b = Tensor.of(new float[]{3}, 1);
        assertThrows(IllegalArgumentException.class, () -> ElementwiseTesting.run("Max", 6, a, b));
        assertArrayEquals(new float[]{3, 5}, ElementwiseTesting.run("Max", 8, a, b).floatData());
        assertThrows(IllegalArgumentException.class, () -> ElementwiseTesting.run("Max", 8,
                Tensor.of(new int[]{1}, 1), Tensor.of(new int[]{1}, 1)));
    }
}
