package dev.sprig.core.ops;

import static org.quicktheories.QuickTheory.qt;

import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.kernels.BinaryOp;
import dev.sprig.kernels.testing.FloatData;
import dev.sprig.kernels.testing.Tolerance;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/**
 * Broadcasting binary ops against the definition: each output element computed from its own
 * multi-index, with every broadcast axis read at index 0.
 */
class BroadcastBinaryPropertyTest {

    @Test
    void matchesElementByElementBroadcasting() {
        qt().withExamples(500).forAll(Generate.enumValues(BinaryOp.class), Generate.range(0, 5),
                        Generate.longRange(0, Long.MAX_VALUE / 2))
                .checkAssert((op, rank, seed) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    int[] out = new int[rank];
                    for (int i = 0; i < rank; i++) {
                        out[i] = r.nextInt(8) == 0 ? 1 : 1 + r.nextInt(r.nextBoolean() ? 4 : 19);
                    }
                    int[] aDims = operandDims(out, r);
                    int[] bDims = operandDims(out, r);
                    float[] aData = FloatData.withSpecials(seed, Shape.of(aDims).size());
                    Tensor a = aDims.length == 2 && r.nextBoolean()
                            // a strided (transposed) view must broadcast like its contiguous copy
                            ? Tensor.of(aData, aDims[1], aDims[0]).permute(1, 0)
                            : Tensor.of(aData, aDims);
                    Tensor b = Tensor.of(FloatData.withSpecials(seed + 1, Shape.of(bDims).size()), bDims);
                    Tensor c;
                    try {
                        c = BroadcastBinary.apply(op, a, b, OutputAllocator.FRESH);
                    } catch (IllegalArgumentException e) {
                        Shape.broadcast(a.shape(), b.shape()); // must be a genuine incompatibility: rethrows it
                        throw new AssertionError("apply rejected broadcastable shapes " + a.shape() + " " + b.shape(), e);
                    }
                    Shape expectedShape = Shape.broadcast(a.shape(), b.shape());
                    if (!c.shape().equals(expectedShape)) {
                        throw new AssertionError("shape " + c.shape() + " != " + expectedShape);
                    }
                    int[] idx = new int[expectedShape.rank()];
                    for (int i = 0; i < c.size(); i++) {
                        float expected = op.apply(read(a, idx), read(b, idx));
                        Tolerance.assertSame(expected, c.floatData()[i], op + " " + a.shape() + " by " + b.shape()
                                + " seed=" + seed + " at " + Arrays.toString(idx));
                        for (int axis = idx.length - 1; axis >= 0; axis--) {
                            if (++idx[axis] < expectedShape.dim(axis)) {
                                break;
                            }
                            idx[axis] = 0;
                        }
                    }
                });
    }

    /** A suffix of the output's axes, each kept or set to 1 (broadcast). */
    private static int[] operandDims(int[] out, SplittableRandom r) {
        int rank = out.length == 0 ? 0 : r.nextInt(out.length + 1);
        int[] d = new int[rank];
        for (int i = 0; i < rank; i++) {
            d[i] = r.nextInt(3) == 0 ? 1 : out[out.length - rank + i];
        }
        return d;
    }

    /** The element of t that broadcasting maps output index {@code idx} to. */
    private static float read(Tensor t, int[] idx) {
        int rank = t.shape().rank();
        int[] own = new int[rank];
        for (int i = 0; i < rank; i++) {
            int outAxis = idx.length - rank + i;
            own[i] = t.shape().dim(i) == 1 ? 0 : idx[outAxis];
        }
        return t.getFloat(own);
    }
}
