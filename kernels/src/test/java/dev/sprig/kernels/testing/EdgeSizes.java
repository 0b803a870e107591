package dev.sprig.kernels.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Generators for lengths and dimensions that hit the kernels' edges: 0, 1, w-1, w, w+1 and the
 * unrolled multiples (2w, 4w) +-1 for every float vector width w (2, 4, 8, 16 lanes: 64 to 512
 * bits), small primes, and uniform random sizes.
 */
public final class EdgeSizes {

    /** Float lane counts of the 64, 128, 256 and 512-bit species. */
    public static final int[] LANES = {2, 4, 8, 16};
    private static final int[] PRIMES = {2, 3, 5, 7, 11, 13, 17, 31, 37, 61, 67, 97, 127, 131, 257};

    private EdgeSizes() {
    }

    /** The fixed edge list, each value in [lo, hi]. */
    public static List<Integer> edges(int lo, int hi, int... extraBlocks) {
        TreeSet<Integer> set = new TreeSet<>();
        set.add(0);
        set.add(1);
        for (int w : LANES) {
            for (int mult : new int[]{1, 2, 3, 4, 8}) {
                for (int d = -1; d <= 1; d++) {
                    set.add(w * mult + d);
                }
            }
        }
        for (int b : extraBlocks) {
            for (int d = -1; d <= 1; d++) {
                set.add(b + d);
                set.add(2 * b + d);
            }
        }
        for (int p : PRIMES) {
            set.add(p);
        }
        List<Integer> out = new ArrayList<>();
        for (int v : set) {
            if (v >= lo && v <= hi) {
                out.add(v);
            }
        }
        return out;
    }

    /** Half the time an edge size, half the time uniform in [lo, hi]. */
    public static Gen<Integer> sizes(int lo, int hi, int... extraBlocks) {
        return Generate.pick(edges(lo, hi, extraBlocks)).mix(Generate.range(lo, hi), 50);
    }

    /** Offsets into a larger array: 0 most often, else a small odd or even shift. */
    public static Gen<Integer> offsets() {
        return Generate.pick(List.of(0, 0, 1, 3, 7, 8, 17));
    }

    /** Seeds for the data a case fills its arrays with (printed on failure to reproduce it). */
    public static Gen<Long> seeds() {
        return Generate.longRange(0, Long.MAX_VALUE / 2);
    }
}
