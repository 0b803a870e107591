package dev.sprig.core.ops.shape;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.ops.OpContext;
import dev.sprig.kernels.ThreadPool;
import java.util.Arrays;

/**
 * Copies a strided view of a storage array (offset, dims, strides of any sign; stride 0 repeats)
 * into a new contiguous tensor: the one data-movement loop behind Transpose, Slice, Split,
 * Expand, DepthToSpace and SpaceToDepth.
 *
 * <p>Axes of size 1 are dropped and neighbouring axes that are contiguous relative to each other
 * merged first, so a view of a contiguous block becomes one long run. The output is written in
 * order; each innermost run is one {@link System#arraycopy} when its source is contiguous. A
 * FLOAT view whose innermost source stride is not 1 but which has another axis with stride 1 (a
 * transpose) is copied in square tiles, so both the rows read and the rows written stay in cache.
 */
final class StridedCopy {

    /** Tile edge of the FLOAT transpose copy: 32 x 32 floats are 4 KiB read and written. */
    private static final int TILE = 32;
    /** Elements below which one thread copies (waking workers costs more than the copy). */
    private static final int PARALLEL_MIN = 1 << 16;

    private StridedCopy() {
    }

    /** {@code t} itself when contiguous, else its contiguous copy (what a view op needs before reshaping). */
    static Tensor contiguous(Tensor t, OpContext context) {
        return t.isContiguous() ? t : copy(t, context);
    }

    /** A contiguous copy of the elements of {@code t} (a view of any strides). */
    static Tensor copy(Tensor t, OpContext context) {
        return copy(t.dtype(), t.array(), t.offset(), t.shape().dims(), t.strides(), context);
    }

    /** A contiguous tensor of shape {@code dims} whose element {@code i...} is {@code src[offset + sum(i*strides)]}. */
    static Tensor copy(DType dtype, Object src, int offset, int[] dims, int[] strides, OpContext context) {
        ThreadPool pool = context.pool();
        Tensor out = context.zeros(dtype, Shape.of(dims));
        int size = out.size();
        if (size == 0) {
            return out;
        }
        // compact: drop size-1 axes, merge an axis into the next when it steps over it exactly
        int[] d = new int[dims.length];
        int[] s = new int[dims.length];
        int rank = 0;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == 1) {
                continue;
            }
            if (rank > 0 && s[rank - 1] == strides[i] * dims[i]) {
                d[rank - 1] *= dims[i];
                s[rank - 1] = strides[i];
            } else {
                d[rank] = dims[i];
                s[rank] = strides[i];
                rank++;
            }
        }
        Object dst = out.array();
        if (rank == 0) {
            System.arraycopy(src, offset, dst, 0, 1);
            return out;
        }
        int threads = size >= PARALLEL_MIN ? pool.threads() : 1;
        int unitAxis = -1;
        for (int i = 0; i < rank - 1 && src instanceof float[]; i++) {
            if (s[i] == 1) {
                unitAxis = i;
            }
        }
        if (unitAxis >= 0 && s[rank - 1] != 1) {
            transposeTiles((float[]) src, offset, d, s, rank, unitAxis, (float[]) dst, threads, pool);
        } else {
            rows(src, offset, d, s, rank, dst, threads, pool);
        }
        return out;
    }

    /** Row by row: every innermost run is one strided (or arraycopy) copy. */
    private static void rows(Object src, int offset, int[] d, int[] s, int rank, Object dst, int threads,
                             ThreadPool pool) {
        int inner = d[rank - 1];
        int innerStride = s[rank - 1];
        int rowCount = 1;
        for (int i = 0; i < rank - 1; i++) {
            rowCount *= d[i];
        }
        int tasks = Math.min(threads, rowCount);
        int rowsTotal = rowCount;
        pool.parallelFor(tasks, tasks, task -> {
            int first = (int) ((long) rowsTotal * task / tasks);
            int last = (int) ((long) rowsTotal * (task + 1) / tasks);
            int[] idx = new int[rank - 1];
            int pos = offset + start(first, d, s, rank - 1, idx);
            for (int row = first; row < last; row++) {
                Elements.copyStrided(src, pos, innerStride, dst, row * inner, inner);
                pos = advance(idx, d, s, rank - 1, pos);
            }
        });
    }

    /**
     * A transpose of FLOATs: the innermost output axis reads with stride {@code s[rank-1]}, axis
     * {@code k} reads contiguously. For every index of the other axes, the (k, last) plane is
     * copied in TILE x TILE blocks: output rows are written contiguously, and the TILE source rows
     * a block touches are re-used from cache across its columns.
     */
    private static void transposeTiles(float[] src, int offset, int[] d, int[] s, int rank, int k, float[] dst,
                                       int threads, ThreadPool pool) {
        int last = rank - 1;
        int[] outStrides = Shape.of(Arrays.copyOf(d, rank)).contiguousStrides();
        // the other axes, iterated outside the plane
        int otherRank = rank - 2;
        int[] od = new int[otherRank];
        int[] os = new int[otherRank];
        int[] oo = new int[otherRank];
        for (int i = 0, j = 0; i < last; i++) {
            if (i != k) {
                od[j] = d[i];
                os[j] = s[i];
                oo[j] = outStrides[i];
                j++;
            }
        }
        int planes = 1;
        for (int x : od) {
            planes *= x;
        }
        int dk = d[k];
        int dl = d[last];
        int sl = s[last];
        int ok = outStrides[k];
        int kBlocks = (dk + TILE - 1) / TILE;
        long units = (long) planes * kBlocks;
        int tasks = (int) Math.min(threads, units);
        pool.parallelFor(tasks, tasks, task -> {
            long first = units * task / tasks;
            long end = units * (task + 1) / tasks;
            for (long u = first; u < end; u++) {
                int plane = (int) (u / kBlocks);
                int i0 = (int) (u % kBlocks) * TILE;
                // position of this plane in source and output
                int srcBase = offset;
                int dstBase = 0;
                int rest = plane;
                for (int a = otherRank - 1; a >= 0; a--) {
                    int c = rest % od[a];
                    rest /= od[a];
                    srcBase += c * os[a];
                    dstBase += c * oo[a];
                }
                int i1 = Math.min(i0 + TILE, dk);
                for (int j0 = 0; j0 < dl; j0 += TILE) {
                    int j1 = Math.min(j0 + TILE, dl);
                    for (int i = i0; i < i1; i++) {
                        int sp = srcBase + i + j0 * sl;
                        int dp = dstBase + i * ok;
                        for (int j = j0; j < j1; j++, sp += sl) {
                            dst[dp + j] = src[sp];
                        }
                    }
                }
            }
        });
    }

    /** Sets {@code idx} to the multi-index of row {@code row} over {@code dims[0, n)}; returns its source offset. */
    private static int start(int row, int[] dims, int[] strides, int n, int[] idx) {
        int pos = 0;
        for (int a = n - 1; a >= 0; a--) {
            idx[a] = row % dims[a];
            row /= dims[a];
            pos += idx[a] * strides[a];
        }
        return pos;
    }

    /** Steps {@code idx} to the next row (odometer) and returns the updated source position. */
    private static int advance(int[] idx, int[] dims, int[] strides, int n, int pos) {
        for (int a = n - 1; a >= 0; a--) {
            if (++idx[a] < dims[a]) {
                return pos + strides[a];
            }
            pos -= (dims[a] - 1) * strides[a];
            idx[a] = 0;
        }
        return pos;
    }
}
