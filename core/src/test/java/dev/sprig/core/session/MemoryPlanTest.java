package dev.sprig.core.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The arena plan checked against its definition: no two values alive together share a byte. */
class MemoryPlanTest {

    @Test
    void valuesAliveTogetherNeverOverlapAndTheArenaIsBetweenPeakAndNaive() {
        SplittableRandom random = new SplittableRandom(20261123);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + random.nextInt(40);
            int steps = 1 + random.nextInt(30);
            long[] bytes = new long[n];
            int[] first = new int[n];
            int[] last = new int[n];
            for (int i = 0; i < n; i++) {
                bytes[i] = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(100_000);
                first[i] = random.nextInt(steps);
                last[i] = first[i] + random.nextInt(steps - first[i]);
            }
            MemoryPlan plan = MemoryPlan.plan(bytes, first, last);
            String seed = "trial " + trial;
            long naive = 0;
            for (int i = 0; i < n; i++) {
                naive += bytes[i];
                assertTrue(plan.offsets()[i] % MemoryPlan.ALIGNMENT == 0, seed);
                assertTrue(plan.offsets()[i] + bytes[i] <= plan.arenaBytes(), seed + " value " + i + " past the arena");
                for (int j = i + 1; j < n; j++) {
                    boolean together = first[i] <= last[j] && first[j] <= last[i];
                    boolean disjoint = plan.offsets()[i] + bytes[i] <= plan.offsets()[j]
                            || plan.offsets()[j] + bytes[j] <= plan.offsets()[i];
                    assertTrue(!together || disjoint || bytes[i] == 0 || bytes[j] == 0,
                            seed + ": values " + i + " and " + j + " are alive together and overlap");
                }
            }
            assertEquals(naive, plan.naiveBytes(), seed);
            long peak = 0;
            for (int t = 0; t < steps; t++) {
                long live = 0;
                for (int i = 0; i < n; i++) {
                    live += first[i] <= t && t <= last[i] ? bytes[i] : 0;
                }
                peak = Math.max(peak, live);
            }
            assertTrue(plan.arenaBytes() >= peak, seed + ": arena below the live peak");
            assertTrue(plan.arenaBytes() <= naive + (long) n * MemoryPlan.ALIGNMENT, seed + ": arena above naive");
        }
    }

    @Test
    void aChainReusesMemory() {
        // a -> b -> c -> d, each read only by the next: two buffers suffice
        MemoryPlan plan = MemoryPlan.plan(new long[] {1024, 1024, 1024, 1024}, new int[] {0, 1, 2, 3},
                new int[] {1, 2, 3, 3});
        assertEquals(2048, plan.arenaBytes());
        assertEquals(4096, plan.naiveBytes());
    }

    @Test
    void rejectsInconsistentInput() {
        assertThrows(IllegalArgumentException.class, () -> MemoryPlan.plan(new long[1], new int[2], new int[1]));
        assertThrows(IllegalArgumentException.class, () -> MemoryPlan.plan(new long[] {8}, new int[] {3}, new int[] {2}));
    }
}
