package dev.sprig.core.ops.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.kernels.testing.FloatData;
import dev.sprig.kernels.testing.Tolerance;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Gemm and MatMul against triple loops written from the spec's definitions. */
class GemmMatMulTest {

    @Test
    void gemmMatchesTheDefinition() {
        SplittableRandom r = new SplittableRandom(5);
        for (int trial = 0; trial < 200; trial++) {
            int m = 1 + r.nextInt(20);
            int n = 1 + r.nextInt(20);
            int k = 1 + r.nextInt(20);
            boolean ta = r.nextBoolean();
            boolean tb = r.nextBoolean();
            float alpha = r.nextBoolean() ? 1f : (float) r.nextDouble(-2, 2);
            float beta = r.nextInt(3) == 0 ? 1f : (float) r.nextDouble(-2, 2);
            Tensor a = Tensor.of(FloatData.uniform(trial, m * k), ta ? k : m, ta ? m : k);
            Tensor b = Tensor.of(FloatData.uniform(trial + 7, k * n), tb ? n : k, tb ? k : n);
            int[][] cShapes = {{}, {n}, {1, n}, {m, 1}, {m, n}, {1, 1}, {1}};
            int[] cDims = r.nextInt(8) == 0 ? null : cShapes[r.nextInt(cShapes.length)];
            Tensor c = cDims == null ? null : Tensor.of(FloatData.uniform(trial + 9, Shape.of(cDims).size()), cDims);
            NodeRunner op = NodeRunner.op("Gemm", 13).attr("alpha", alpha).attr("beta", beta)
                    .attr("transA", ta ? 1L : 0L).attr("transB", tb ? 1L : 0L);
            Tensor y = (c == null ? op.runBothThreadCounts(a, b) : op.runBothThreadCounts(a, b, c))[0];
            assertArrayEquals(new int[]{m, n}, y.shape().dims());
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    double abs = 0;
                    for (int p = 0; p < k; p++) {
                        double t = (ta ? a.getFloat(p, i) : a.getFloat(i, p)) * (double) (tb ? b.getFloat(j, p)
                                : b.getFloat(p, j));
                        sum += t;
                        abs += Math.abs(t);
                    }
                    sum *= alpha;
                    abs *= Math.abs(alpha);
                    if (c != null) {
                        double cv = beta * (double) c.floatData()[cIndex(cDims, i, j)];
                        sum += cv;
                        abs += Math.abs(cv);
                    }
                    Tolerance.assertClose((float) sum, y.getFloat(i, j), k + 2, abs, "trial " + trial + " (" + i + ","
                            + j + ") C " + Arrays.toString(cDims));
                }
            }
        }
    }

    private static int cIndex(int[] cDims, int i, int j) {
        int rows = cDims.length == 2 ? cDims[0] : 1;
        int cols = cDims.length == 0 ? 1 : cDims[cDims.length - 1];
        return (rows == 1 ? 0 : i) * cols + (cols == 1 ? 0 : j);
    }

    @Test
    void matMulBroadcastsBatchesAndPromotesVectors() {
        SplittableRandom r = new SplittableRandom(6);
        for (int trial = 0; trial < 200; trial++) {
            int m = 1 + r.nextInt(6);
            int n = 1 + r.nextInt(6);
            int k = 1 + r.nextInt(6);
            int[] batch = new int[r.nextInt(3)];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = 1 + r.nextInt(3);
            }
            int[] aDims = operand(batch, m, k, r);
            int[] bDims = operand(batch, k, n, r);
            if (r.nextInt(5) == 0) {
                aDims = new int[]{k};
            }
            if (r.nextInt(5) == 0) {
                bDims = new int[]{k};
            }
            Tensor a = Tensor.of(FloatData.uniform(trial, Shape.of(aDims).size()), aDims);
            Tensor b = Tensor.of(FloatData.uniform(trial + 3, Shape.of(bDims).size()), bDims);
            Tensor y = NodeRunner.op("MatMul", 13).runBothThreadCounts(a, b)[0];
            // numpy: promote 1-D, broadcast the batch, drop the promoted axes
            int[] ap = aDims.length == 1 ? new int[]{1, k} : aDims;
            int[] bp = bDims.length == 1 ? new int[]{k, 1} : bDims;
            Shape batchShape = Shape.broadcast(Shape.of(Arrays.copyOf(ap, ap.length - 2)),
                    Shape.of(Arrays.copyOf(bp, bp.length - 2)));
            int mm = ap[ap.length - 2];
            int nn = bp[bp.length - 1];
            int[] expectDims = Arrays.copyOf(batchShape.dims(), batchShape.rank() + 2);
            expectDims[batchShape.rank()] = mm;
            expectDims[batchShape.rank() + 1] = nn;
            double[] yv = y.toDoubleArray();
            assertEquals(Shape.of(expectDims).size(), yv.length);
            for (int e = 0; e < yv.length; e++) {
                int[] idx = ConvOperatorTest.unflat(e, expectDims);
                int i = idx[idx.length - 2];
                int j = idx[idx.length - 1];
                double sum = 0;
                double abs = 0;
                for (int p = 0; p < k; p++) {
                    double t = element(a, ap, idx, i, p) * element(b, bp, idx, p, j);
                    sum += t;
                    abs += Math.abs(t);
                }
                Tolerance.assertClose((float) sum, (float) yv[e], k, abs, "trial " + trial + " " + a.shape() + " x "
                        + b.shape() + " at " + Arrays.toString(idx));
            }
            // the result drops the axis a promoted 1-D operand added
            int[] dropped = Arrays.copyOf(batchShape.dims(), batchShape.rank() + (aDims.length == 1 ? 0 : 1)
                    + (bDims.length == 1 ? 0 : 1));
            int at = batchShape.rank();
            if (aDims.length != 1) {
                dropped[at++] = mm;
            }
            if (bDims.length != 1) {
                dropped[at] = nn;
            }
            assertArrayEquals(dropped, y.shape().dims(), "trial " + trial + " " + a.shape() + " x " + b.shape());
        }
    }

    private static int[] operand(int[] batch, int rows, int cols, SplittableRandom r) {
        int keep = r.nextInt(batch.length + 1);
        int[] d = new int[keep + 2];
        for (int i = 0; i < keep; i++) {
            d[i] = r.nextInt(3) == 0 ? 1 : batch[batch.length - keep + i];
        }
        d[keep] = rows;
        d[keep + 1] = cols;
        return d;
    }

    /** Element (row, col) of the promoted operand at the broadcast batch index of {@code outIdx}. */
    private static double element(Tensor t, int[] promoted, int[] outIdx, int row, int col) {
        int rank = promoted.length;
        int flat = 0;
        for (int a = 0; a < rank; a++) {
            int v;
            if (a == rank - 2) {
                v = row;
            } else if (a == rank - 1) {
                v = col;
            } else {
                v = promoted[a] == 1 ? 0 : outIdx[outIdx.length - rank + a];
            }
            flat = flat * promoted[a] + v;
        }
        return t.floatData()[flat];
    }
}
