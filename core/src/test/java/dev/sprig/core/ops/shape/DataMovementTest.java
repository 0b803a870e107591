package dev.sprig.core.ops.shape;

import static dev.sprig.core.ops.shape.OpHarness.DTYPES;
import static dev.sprig.core.ops.shape.OpHarness.assertSame;
import static dev.sprig.core.ops.shape.OpHarness.longs;
import static dev.sprig.core.ops.shape.OpHarness.next;
import static dev.sprig.core.ops.shape.OpHarness.random;
import static dev.sprig.core.ops.shape.OpHarness.randomDims;
import static dev.sprig.core.ops.shape.OpHarness.run;
import static dev.sprig.core.ops.shape.OpHarness.run1;
import static dev.sprig.core.ops.shape.OpHarness.set;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Attribute;
import dev.sprig.core.ops.OpContext;
import dev.sprig.kernels.ThreadPool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The copying operators against references written element by element from the ONNX
 * definitions, on random shapes (sizes 0 and 1 included) of every dtype, seeded.
 */
class DataMovementTest {

    @Test
    void transposeMovesEveryElementToItsPermutedIndex() {
        Random r = new Random(11);
        try (ThreadPool pool = ThreadPool.create(3)) {
            for (int iter = 0; iter < 300; iter++) {
                int rank = r.nextInt(6);
                DType dtype = DTYPES[r.nextInt(DTYPES.length)];
                // some big FLOAT planes so the tiled path and the threads are exercised
                int[] dims = iter % 10 == 0 ? new int[]{1 + r.nextInt(3), 33 + r.nextInt(90), 17 + r.nextInt(300)}
                        : randomDims(r, rank, 6);
                if (iter % 10 == 0) {
                    dtype = DType.FLOAT;
                }
                Tensor x = random(dtype, dims, r);
                int[] perm = shuffledAxes(dims.length, r);
                boolean byDefault = r.nextInt(5) == 0;
                if (byDefault) {
                    for (int i = 0; i < perm.length; i++) {
                        perm[i] = perm.length - 1 - i;
                    }
                }
                Tensor expected = Tensor.zeros(dtype, Shape.of(permuted(dims, perm)));
                int[] out = new int[dims.length];
                int[] in = new int[dims.length];
                for (int i = 0; i < expected.size(); i++) {
                    for (int a = 0; a < perm.length; a++) {
                        in[perm[a]] = out[a];
                    }
                    set(expected, out, x, in);
                    next(out, expected.shape().dims());
                }
                List<Attribute> attrs = byDefault ? List.of() : List.of(Attribute.of("perm", toLongs(perm)));
                String what = "Transpose " + x.dtype() + " " + x.shape() + " perm " + Arrays.toString(perm);
                assertSame(expected, run1("Transpose", 13, attrs, x), what);
                Tensor threaded = run("Transpose", 13, 1, attrs, new OpContext(pool), x)[0];
                assertSame(expected, threaded, what + " on 3 threads");
            }
        }
    }

    @Test
    void transposeOfAStridedViewReadsThroughTheStrides() {
        Tensor base = Tensor.of(new float[]{0, 1, 2, 3, 4, 5}, 2, 3);
        Tensor view = base.permute(1, 0); // [[0,3],[1,4],[2,5]]
        Tensor t = run1("Transpose", 13, List.of(), view);
        assertArrayEquals(new double[]{0, 1, 2, 3, 4, 5}, t.toDoubleArray());
    }

    @Test
    void sliceMatchesHandComputedNumpySlices() {
        Tensor x = Tensor.of(new long[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 10);
        assertSlice(x, 1, 8, 3, 1, 4, 7);
        assertSlice(x, 8, 1, -3, 8, 5, 2);
        assertSlice(x, -1, -11, -1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
        assertSlice(x, Long.MAX_VALUE, Long.MIN_VALUE, -1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
        assertSlice(x, 20, 25, 1);
        assertSlice(x, -100, 3, 1, 0, 1, 2);
        assertSlice(x, -10, Long.MAX_VALUE, 4, 0, 4, 8);
        assertSlice(x, 3, 3, 1);
        assertSlice(x, 12, 6, -2, 9, 7);
        assertSlice(x, 0, 10, 100, 0);
    }

    private static void assertSlice(Tensor x, long start, long end, long step, long... expected) {
        Tensor y = run1("Slice", 13, List.of(), x, longs(start), longs(end), longs(0), longs(step));
        assertArrayEquals(Arrays.stream(expected).asDoubleStream().toArray(), y.toDoubleArray(),
                "x[" + start + ":" + end + ":" + step + "]");
    }

    @Test
    void sliceMatchesTheDefinitionOnRandomShapesAndSteps() {
        Random r = new Random(12);
        for (int iter = 0; iter < 400; iter++) {
            int rank = 1 + r.nextInt(4);
            DType dtype = DTYPES[r.nextInt(DTYPES.length)];
            int[] dims = randomDims(r, rank, 7);
            Tensor x = random(dtype, dims, r);
            int n = 1 + r.nextInt(rank);
            int[] axes = Arrays.copyOf(shuffledAxes(rank, r), n);
            long[] starts = new long[n];
            long[] ends = new long[n];
            long[] steps = new long[n];
            long[] axesArg = new long[n];
            for (int i = 0; i < n; i++) {
                int d = dims[axes[i]];
                starts[i] = r.nextInt(2 * d + 7) - d - 3;
                ends[i] = r.nextInt(8) == 0 ? (r.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE)
                        : r.nextInt(2 * d + 7) - d - 3;
                steps[i] = (1 + r.nextInt(3)) * (r.nextBoolean() ? 1 : -1);
                axesArg[i] = r.nextBoolean() ? axes[i] - rank : axes[i];
            }
            // reference: per axis, the list of input indices the spec selects
            int[][] picks = new int[rank][];
            for (int a = 0; a < rank; a++) {
                picks[a] = range(dims[a]);
            }
            for (int i = 0; i < n; i++) {
                picks[axes[i]] = sliceIndices(dims[axes[i]], starts[i], ends[i], steps[i]);
            }
            Tensor expected = select(x, picks);
            Tensor y = run1("Slice", 13, List.of(), x, longs(starts), longs(ends), longs(axesArg), longs(steps));
            assertSame(expected, y, "Slice " + x.shape() + " starts " + Arrays.toString(starts) + " ends "
                    + Arrays.toString(ends) + " axes " + Arrays.toString(axesArg) + " steps " + Arrays.toString(steps));
        }
    }

    /** Indices start, start+step, ... from the spec: negatives + d, then clamped by direction. */
    private static int[] sliceIndices(int d, long start, long end, long step) {
        if (d == 0) {
            return new int[0];
        }
        if (start < 0) {
            start += d;
        }
        if (end < 0) {
            end += d;
        }
        List<Integer> out = new ArrayList<>();
        if (step > 0) {
            start = Math.max(0, Math.min(start, d));
            end = Math.max(0, Math.min(end, d));
            for (long i = start; i < end; i += step) {
                out.add((int) i);
            }
        } else {
            start = Math.max(0, Math.min(start, d - 1));
            end = Math.max(-1, Math.min(end, d - 1));
            for (long i = start; i > end; i += step) {
                out.add((int) i);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void sliceOpset1TakesAttributes() {
        Tensor x = Tensor.of(new float[]{0, 1, 2, 3, 4, 5}, 2, 3);
        Tensor y = run1("Slice", 1, List.of(Attribute.of("starts", new long[]{1}), Attribute.of("ends", new long[]{100}),
                Attribute.of("axes", new long[]{1})), x);
        assertEquals(Shape.of(2, 2), y.shape());
        assertArrayEquals(new double[]{1, 2, 4, 5}, y.toDoubleArray());
        assertThrows(IllegalArgumentException.class,
                () -> run1("Slice", 13, List.of(), x, longs(0), longs(1), longs(0), longs(0)));
    }

    @Test
    void concatAndSplitMatchTheDefinition() {
        Random r = new Random(13);
        for (int iter = 0; iter < 200; iter++) {
            int rank = 1 + r.nextInt(4);
            DType dtype = DTYPES[r.nextInt(DTYPES.length)];
            int[] dims = randomDims(r, rank, 5);
            int axis = r.nextInt(rank);
            int parts = 1 + r.nextInt(4);
            Tensor[] pieces = new Tensor[parts];
            long[] lengths = new long[parts];
            for (int p = 0; p < parts; p++) {
                int[] d = dims.clone();
                d[axis] = r.nextInt(4);
                lengths[p] = d[axis];
                pieces[p] = random(dtype, d, r);
            }
            long axisArg = r.nextBoolean() ? axis - rank : axis;
            Tensor joined = run1("Concat", 13, List.of(Attribute.of("axis", axisArg)), pieces);
            // reference: output index i on the axis comes from the piece whose range holds i
            int[] outDims = dims.clone();
            outDims[axis] = (int) Arrays.stream(lengths).sum();
            Tensor expected = Tensor.zeros(dtype, Shape.of(outDims));
            int[] idx = new int[rank];
            for (int i = 0; i < expected.size(); i++) {
                int k = idx[axis];
                int p = 0;
                while (k >= lengths[p]) {
                    k -= (int) lengths[p++];
                }
                int[] from = idx.clone();
                from[axis] = k;
                set(expected, idx, pieces[p], from);
                next(idx, outDims);
            }
            String what = "Concat of " + parts + " " + dtype + " on axis " + axisArg;
            assertSame(expected, joined, what);
            Tensor[] back = run("Split", 13, parts, List.of(Attribute.of("axis", axisArg)), joined, longs(lengths));
            for (int p = 0; p < parts; p++) {
                assertSame(pieces[p], back[p], "Split back, part " + p + " of " + what);
            }
        }
    }

    @Test
    void splitDefaultsToEqualPartsAndNumOutputsGivesAShorterLastChunk() {
        Tensor x = Tensor.of(new float[]{1, 2, 3, 4, 5, 6, 7}, 7);
        Tensor[] parts = run("Split", 18, 3, List.of(Attribute.of("num_outputs", 3L)), x);
        assertArrayEquals(new double[]{1, 2, 3}, parts[0].toDoubleArray());
        assertArrayEquals(new double[]{4, 5, 6}, parts[1].toDoubleArray());
        assertArrayEquals(new double[]{7}, parts[2].toDoubleArray());
        Tensor[] old = run("Split", 2, 2, List.of(Attribute.of("split", new long[]{5, 2})), x);
        assertArrayEquals(new double[]{6, 7}, old[1].toDoubleArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run("Split", 13, 2, List.of(), x));
        assertTrue(e.getMessage().contains("7 is not a multiple of 2"), e.getMessage());
    }

    @Test
    void gatherPicksRowsAlongTheAxisWithNegativeIndices() {
        Random r = new Random(14);
        for (int iter = 0; iter < 200; iter++) {
            int rank = 1 + r.nextInt(4);
            DType dtype = DTYPES[r.nextInt(DTYPES.length)];
            int[] dims = randomDims(r, rank, 5);
            int axis = r.nextInt(rank);
            if (dims[axis] == 0) {
                dims[axis] = 2;
            }
            Tensor x = random(dtype, dims, r);
            int[] idxDims = randomDims(r, r.nextInt(3), 3);
            long[] indices = new long[Shape.of(idxDims).size()];
            for (int i = 0; i < indices.length; i++) {
                indices[i] = r.nextInt(2 * dims[axis]) - dims[axis];
            }
            Tensor ind = r.nextBoolean() ? Tensor.of(indices, idxDims) : Tensor.of(toInts(indices), idxDims);
            Tensor y = run1("Gather", 13, List.of(Attribute.of("axis", (long) axis - (r.nextBoolean() ? rank : 0))), x,
                    ind);
            // reference: out[a..., j..., b...] = x[a..., indices[j...], b...]
            int[] outDims = new int[rank - 1 + idxDims.length];
            System.arraycopy(dims, 0, outDims, 0, axis);
            System.arraycopy(idxDims, 0, outDims, axis, idxDims.length);
            System.arraycopy(dims, axis + 1, outDims, axis + idxDims.length, rank - axis - 1);
            Tensor expected = Tensor.zeros(dtype, Shape.of(outDims));
            int[] o = new int[outDims.length];
            for (int i = 0; i < expected.size(); i++) {
                int[] j = Arrays.copyOfRange(o, axis, axis + idxDims.length);
                long k = ind.shape().rank() == 0 ? indices[0] : (long) ind.getDouble(j);
                int[] from = new int[rank];
                System.arraycopy(o, 0, from, 0, axis);
                from[axis] = (int) (k < 0 ? k + dims[axis] : k);
                System.arraycopy(o, axis + idxDims.length, from, axis + 1, rank - axis - 1);
                set(expected, o, x, from);
                next(o, outDims);
            }
            assertSame(expected, y, "Gather " + x.shape() + " axis " + axis + " indices " + Arrays.toString(indices));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> run1("Gather", 13, List.of(), Tensor.of(new float[]{1, 2}, 2), longs(2)));
        assertTrue(e.getMessage().contains("out of range"), e.getMessage());
    }

    @Test
    void gatherElementsFollowsTheIndexTensor() {
        Random r = new Random(15);
        for (int iter = 0; iter < 200; iter++) {
            int rank = 1 + r.nextInt(3);
            DType dtype = DTYPES[r.nextInt(DTYPES.length)];
            int[] dims = randomDims(r, rank, 5);
            int axis = r.nextInt(rank);
            dims[axis] = Math.max(dims[axis], 1);
            Tensor x = random(dtype, dims, r);
            int[] idxDims = new int[rank];
            for (int a = 0; a < rank; a++) {
                idxDims[a] = a == axis ? r.nextInt(5) : r.nextInt(dims[a] + 1);
            }
            long[] indices = new long[Shape.of(idxDims).size()];
            for (int i = 0; i < indices.length; i++) {
                indices[i] = r.nextInt(2 * dims[axis]) - dims[axis];
            }
            Tensor ind = Tensor.of(indices, idxDims);
            Tensor y = run1("GatherElements", 13, List.of(Attribute.of("axis", (long) axis)), x, ind);
            Tensor expected = Tensor.zeros(dtype, Shape.of(idxDims));
            int[] o = new int[rank];
            for (int i = 0; i < expected.size(); i++) {
                int[] from = o.clone();
                long k = indices[i];
                from[axis] = (int) (k < 0 ? k + dims[axis] : k);
                set(expected, o, x, from);
                next(o, idxDims);
            }
            assertSame(expected, y, "GatherElements " + x.shape() + " axis " + axis);
        }
    }

    @Test
    void expandBroadcastsBothWays() {
        Random r = new Random(16);
        for (int iter = 0; iter < 200; iter++) {
            int rank = r.nextInt(4);
            DType dtype = DTYPES[r.nextInt(DTYPES.length)];
            int[] target = randomDims(r, rank + r.nextInt(2), 4);
            int[] dims = new int[Math.min(rank, target.length)];
            int[] shapeArg = target.clone();
            for (int i = 0; i < dims.length; i++) {
                int t = target[target.length - dims.length + i];
                dims[i] = r.nextBoolean() ? 1 : t;
                if (dims[i] != 1 && r.nextInt(3) == 0) {
                    shapeArg[target.length - dims.length + i] = 1; // the shape may be 1 where the input is larger
                }
            }
            Tensor x = random(dtype, dims, r);
            Tensor y = run1("Expand", 13, List.of(), x, longs(toLongs(shapeArg)));
            Tensor expected = Tensor.zeros(dtype, Shape.broadcast(x.shape(), Shape.of(shapeArg)));
            int[] o = new int[expected.shape().rank()];
            for (int i = 0; i < expected.size(); i++) {
                int[] from = new int[dims.length];
                for (int a = 0; a < dims.length; a++) {
                    from[a] = dims[a] == 1 ? 0 : o[o.length - dims.length + a];
                }
                set(expected, o, x, from);
                next(o, expected.shape().dims());
            }
            assertSame(expected, y, "Expand " + x.shape() + " to " + Arrays.toString(shapeArg));
        }
    }

    @Test
    void tileRepeatsModuloTheInputShape() {
        Random r = new Random(17);
        for (int iter = 0; iter < 200; iter++) {
            int rank = r.nextInt(4);
            DType dtype = DTYPES[r.nextInt(DTYPES.length)];
            int[] dims = randomDims(r, rank, 4);
            long[] repeats = new long[rank];
            int[] outDims = new int[rank];
            for (int a = 0; a < rank; a++) {
                repeats[a] = r.nextInt(4);
                outDims[a] = (int) (dims[a] * repeats[a]);
            }
            Tensor x = random(dtype, dims, r);
            Tensor y = run1("Tile", 13, List.of(), x, longs(repeats));
            Tensor expected = Tensor.zeros(dtype, Shape.of(outDims));
            int[] o = new int[rank];
            for (int i = 0; i < expected.size(); i++) {
                int[] from = new int[rank];
                for (int a = 0; a < rank; a++) {
                    from[a] = o[a] % dims[a];
                }
                set(expected, o, x, from);
                next(o, outDims);
            }
            assertSame(expected, y, "Tile " + x.shape() + " by " + Arrays.toString(repeats));
        }
    }

    @Test
    void padMatchesTheOnnxExamples() {
        Tensor x = Tensor.of(new float[]{1.0f, 1.2f, 2.3f, 3.4f, 4.5f, 5.7f}, 3, 2);
        Tensor pads = longs(0, 2, 0, 0);
        assertArrayEquals(new double[]{1.0f, 1.2f, 1.0f, 1.2f, 2.3f, 3.4f, 2.3f, 3.4f, 4.5f, 5.7f, 4.5f, 5.7f},
                run1("Pad", 11, List.of(Attribute.of("mode", "reflect")), x, pads).toDoubleArray());
        assertArrayEquals(new double[]{1.0f, 1.0f, 1.0f, 1.2f, 2.3f, 2.3f, 2.3f, 3.4f, 4.5f, 4.5f, 4.5f, 5.7f},
                run1("Pad", 11, List.of(Attribute.of("mode", "edge")), x, pads).toDoubleArray());
        assertArrayEquals(new double[]{0, 0, 1.0f, 1.2f, 0, 0, 2.3f, 3.4f, 0, 0, 4.5f, 5.7f},
                run1("Pad", 11, List.of(), x, pads).toDoubleArray());
        // opset 2: attributes; a negative pad crops
        Tensor old = run1("Pad", 2, List.of(Attribute.of("pads", new long[]{-1, 1, 0, 0}), Attribute.of("value", 9f)), x);
        assertArrayEquals(new double[]{9, 2.3f, 3.4f, 9, 4.5f, 5.7f}, old.toDoubleArray());
    }

    @Test
    void padMatchesTheDefinitionInEveryMode() {
        Random r = new Random(18);
        String[] modes = {"constant", "edge", "reflect", "wrap"};
        for (int iter = 0; iter < 300; iter++) {
            int rank = 1 + r.nextInt(3);
            DType dtype = DTYPES[r.nextInt(DTYPES.length)];
            String mode = modes[r.nextInt(modes.length)];
            int[] dims = randomDims(r, rank, 5);
            long[] pads = new long[2 * rank];
            int[] outDims = new int[rank];
            for (int a = 0; a < rank; a++) {
                if (dims[a] == 0 && !mode.equals("constant")) {
                    dims[a] = 1;
                }
                int limit = mode.equals("reflect") ? dims[a] - 1 : mode.equals("constant") ? 3 : dims[a];
                pads[a] = r.nextInt(limit + 1) - (r.nextInt(4) == 0 ? Math.min(1, dims[a]) : 0);
                pads[a + rank] = r.nextInt(limit + 1);
                outDims[a] = (int) (dims[a] + pads[a] + pads[a + rank]);
            }
            Tensor x = random(dtype, dims, r);
            Tensor value = random(dtype, new int[0], r);
            Tensor y = run1("Pad", 19, List.of(Attribute.of("mode", mode)), x, longs(pads), value);
            Tensor expected = Tensor.zeros(dtype, Shape.of(outDims));
            int[] o = new int[rank];
            for (int i = 0; i < expected.size(); i++) {
                int[] from = new int[rank];
                boolean constant = false;
                for (int a = 0; a < rank; a++) {
                    int k = (int) (o[a] - pads[a]);
                    int d = dims[a];
                    if (k < 0 || k >= d) {
                        switch (mode) {
                            case "constant" -> constant = true;
                            case "edge" -> k = k < 0 ? 0 : d - 1;
                            case "wrap" -> k = ((k % d) + d) % d;
                            default -> k = k < 0 ? -k : 2 * (d - 1) - k; // pads < d: one mirror suffices
                        }
                    }
                    from[a] = k;
                }
                if (constant) {
                    set(expected, o, value, new int[0]);
                } else {
                    set(expected, o, x, from);
                }
                next(o, outDims);
            }
            assertSame(expected, y, "Pad " + mode + " " + x.shape() + " pads " + Arrays.toString(pads));
        }
    }

    @Test
    void padAxesInputPadsOnlyTheListedAxes() {
        Tensor x = Tensor.of(new float[]{1, 2, 3, 4}, 2, 2);
        Tensor y = run1("Pad", 18, List.of(), x, longs(1, 0), null, longs(-1));
        assertEquals(Shape.of(2, 3), y.shape());
        assertArrayEquals(new double[]{0, 1, 2, 0, 3, 4}, y.toDoubleArray());
    }

    @Test
    void depthToSpaceAndSpaceToDepthFollowTheirIndexFormulas() {
        Random r = new Random(19);
        for (int iter = 0; iter < 100; iter++) {
            DType dtype = DTYPES[r.nextInt(DTYPES.length)];
            int b = 1 + r.nextInt(3);
            int n = 1 + r.nextInt(2);
            int c = 1 + r.nextInt(3);
            int h = r.nextInt(4);
            int w = 1 + r.nextInt(4);
            boolean crd = r.nextBoolean();
            Tensor x = random(dtype, new int[]{n, c * b * b, h, w}, r);
            List<Attribute> attrs = List.of(Attribute.of("blocksize", (long) b), Attribute.of("mode", crd ? "CRD" : "DCR"));
            Tensor y = run1("DepthToSpace", 13, attrs, x);
            Tensor expected = Tensor.zeros(dtype, Shape.of(n, c, h * b, w * b));
            int[] o = new int[4];
            for (int i = 0; i < expected.size(); i++) {
                int bi = o[2] % b;
                int bj = o[3] % b;
                int ch = crd ? o[1] * b * b + bi * b + bj : (bi * b + bj) * c + o[1];
                set(expected, o, x, new int[]{o[0], ch, o[2] / b, o[3] / b});
                next(o, expected.shape().dims());
            }
            assertSame(expected, y, "DepthToSpace " + (crd ? "CRD" : "DCR") + " b=" + b + " " + x.shape());
            if (!crd) {
                Tensor back = run1("SpaceToDepth", 13, List.of(Attribute.of("blocksize", (long) b)), y);
                assertSame(x, back, "SpaceToDepth inverts DepthToSpace DCR, b=" + b + " " + x.shape());
            }
        }
    }

    private static Tensor select(Tensor x, int[][] picks) {
        int[] outDims = new int[picks.length];
        for (int a = 0; a < picks.length; a++) {
            outDims[a] = picks[a].length;
        }
        Tensor out = Tensor.zeros(x.dtype(), Shape.of(outDims));
        int[] o = new int[picks.length];
        for (int i = 0; i < out.size(); i++) {
            int[] from = new int[picks.length];
            for (int a = 0; a < picks.length; a++) {
                from[a] = picks[a][o[a]];
            }
            set(out, o, x, from);
            next(o, outDims);
        }
        return out;
    }

    private static int[] shuffledAxes(int rank, Random r) {
        int[] p = range(rank);
        for (int i = rank - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static int[] range(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    private static int[] permuted(int[] dims, int[] perm) {
        int[] d = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            d[i] = dims[perm[i]];
        }
        return d;
    }

    private static long[] toLongs(int[] v) {
        return Arrays.stream(v).asLongStream().toArray();
    }

    private static int[] toInts(long[] v) {
        return Arrays.stream(v).mapToInt(x -> (int) x).toArray();
    }
}
