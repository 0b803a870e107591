package dev.sprig.core.session;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Placement of a run's intermediate tensors in one arena: each value lives from the node that
 * produces it to the last node that reads it, and two values may share bytes when their lives do
 * not overlap. Greedy by size (largest first, each at the lowest offset free for its whole life),
 * the usual heuristic for this interval-packing problem; {@link #naiveBytes} is what giving every
 * value its own buffer costs.
 *
 * @param offsets    byte offset of each value in the arena
 * @param arenaBytes the arena's size
 * @param naiveBytes the sum of all value sizes
 */
public record MemoryPlan(long[] offsets, long arenaBytes, long naiveBytes) {

    /** Arena bytes are rounded up to this, so every tensor starts on a cache line. */
    static final int ALIGNMENT = 64;

    /**
     * Plans values with {@code bytes[i]} alive over the steps [first[i], last[i]] (inclusive).
     *
     * @throws IllegalArgumentException when the arrays differ in length or a life ends before it starts
     */
    public static MemoryPlan plan(long[] bytes, int[] first, int[] last) {
        int n = bytes.length;
        if (first.length != n || last.length != n) {
            throw new IllegalArgumentException("bytes, first and last must have one entry per value: " + n + ", "
                    + first.length + ", " + last.length);
        }
        Integer[] order = new Integer[n];
        long naive = 0;
        for (int i = 0; i < n; i++) {
            if (last[i] < first[i] || bytes[i] < 0) {
                throw new IllegalArgumentException("value " + i + ": life [" + first[i] + ", " + last[i] + "], "
                        + bytes[i] + " bytes");
            }
            order[i] = i;
            naive += bytes[i];
        }
        Arrays.sort(order, Comparator.comparingLong((Integer i) -> -bytes[i]).thenComparingInt(i -> first[i]));
        long[] offsets = new long[n];
        List<Integer> placed = new ArrayList<>();
        long arena = 0;
        for (int v : order) {
            long size = align(bytes[v]);
            // the blocks already placed whose lives overlap v's, by offset: v goes in the first gap that fits
            List<Integer> clashing = new ArrayList<>();
            for (int p : placed) {
                if (first[p] <= last[v] && first[v] <= last[p]) {
                    clashing.add(p);
                }
            }
            clashing.sort(Comparator.comparingLong(p -> offsets[p]));
            long at = 0;
            for (int p : clashing) {
                if (offsets[p] - at >= size) {
                    break;
                }
                at = Math.max(at, offsets[p] + align(bytes[p]));
            }
            offsets[v] = at;
            arena = Math.max(arena, at + size);
            placed.add(v);
        }
        return new MemoryPlan(offsets, arena, naive);
    }

    private static long align(long b) {
        return (b + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }
}
