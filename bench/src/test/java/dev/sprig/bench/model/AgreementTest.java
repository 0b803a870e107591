package dev.sprig.bench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sprig.core.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgreementTest {

    @Test
    void comparesByHand() {
        // two rows of 2: row 0 arg-max 1 in both, row 1 arg-max 0 vs 1
        Tensor ref = Tensor.of(new float[]{0, 1, 3, 0}, 2, 2);
        Tensor got = Tensor.of(new float[]{0, 1, 1, 2}, 2, 2);
        Agreement a = Agreement.of(List.of(Map.of("y", ref)), List.of(Map.of("y", got)));
        assertEquals(2, a.maxAbsDiff(), 0);
        // dot = 0 + 1 + 3 + 0 = 4; |ref| = sqrt(10); |got| = sqrt(6)
        assertEquals(4 / Math.sqrt(60), a.cosine(), 1e-12);
        assertEquals(0.5, a.top1(), 0);
    }

    @Test
    void differentShapesAreRejected() {
        Tensor ref = Tensor.of(new float[]{0, 1}, 1, 2);
        Tensor got = Tensor.of(new float[]{0, 1}, 2, 1);
        assertThrows(IllegalArgumentException.class,
                () -> Agreement.of(List.of(Map.of("y", ref)), List.of(Map.of("y", got))));
    }
}
