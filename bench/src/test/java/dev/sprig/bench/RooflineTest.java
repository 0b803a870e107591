package dev.sprig.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.bench.kernels.GemmStepsBenchmark;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RooflineTest {

    @Test
    void squareGemmMovesThreeMatricesAndHasIntensityNOverSix() {
        Map<String, String> params = Map.of("size", "512", "threads", "1");
        // A, B and C: 3 x 512 x 512 floats of 4 bytes
        assertEquals(3_145_728.0, GemmStepsBenchmark.minBytes("step1TripleLoop", params));
        assertEquals(268_435_456.0, GemmStepsBenchmark.work("step1TripleLoop", params).flops());
        assertEquals(512.0 / 6, Roofline.intensity(268_435_456.0, 3_145_728.0), 1e-12);
    }

    @Test
    void roofIsTheBandwidthSlopeBelowTheRidgeAndThePeakAbove() {
        // peak 100 GFLOP/s, 25 GB/s: the ridge sits at 4 FLOP/byte
        assertEquals(4.0, Roofline.ridge(100, 25));
        assertEquals(12.5, Roofline.attainable(0.5, 100, 25));
        assertEquals(100.0, Roofline.attainable(4, 100, 25));
        assertEquals(100.0, Roofline.attainable(85, 100, 25));
    }

    @Test
    void intensityWithoutBytesIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> Roofline.intensity(10, 0));
        assertTrue(e.getMessage().contains("bytes=0.0"), e.getMessage());
    }
}
