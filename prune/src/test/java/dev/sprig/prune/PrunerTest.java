package dev.sprig.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PrunerTest {

    private static List<Map<String, Tensor>> calibration(int n, long seed) {
        Random rnd = new Random(seed);
        List<Map<String, Tensor>> c = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            c.add(Map.of("X", TestModels.random(rnd, 1, 3, 6, 6)));
        }
        return c;
    }

    @Test
    void everyUnstructuredMethodReachesItsSparsityAndKeepsShapes() {
        Model m = TestModels.cnn(6);
        List<Map<String, Tensor>> calib = calibration(10, 1);
        for (PruneConfig cfg : List.of(PruneConfig.of(PruneMethod.MAGNITUDE, 0.7),
                PruneConfig.of(PruneMethod.MAGNITUDE, 0.7).withGlobal(true),
                PruneConfig.of(PruneMethod.WANDA, 0.7), PruneConfig.of(PruneMethod.N_M, 0),
                PruneConfig.of(PruneMethod.BLOCK_1X4, 0.7), PruneConfig.of(PruneMethod.BLOCK_4X4, 0.7))) {
            for (boolean refit : new boolean[]{false, true}) {
                PruneResult r = Pruner.run(m, cfg.withReconstruct(refit), calib, PruneProgress.NONE);
                double expected = cfg.method() == PruneMethod.N_M ? 0.5 : 0.7;
                // blocks at the matrix edges are smaller, so the element fraction wanders a little
                assertEquals(expected, r.sparsity(), cfg.method().name().startsWith("BLOCK") ? 0.08 : 0.02,
                        cfg.describe() + " refit=" + refit);
                r.layers().forEach(l -> assertEquals(l.denseWeights(), l.weights(), l.layer()));
                m.graph().initializers().forEach((k, v) -> assertEquals(v.shape(),
                        r.model().graph().initializers().get(k).shape(), k));
            }
        }
    }

    @Test
    void reconstructionKeepsZerosAndLowersTheErrorAgainstTheDenseModel() {
        Model m = TestModels.cnn(9);
        List<Map<String, Tensor>> calib = calibration(300, 2);
        PruneConfig cfg = PruneConfig.of(PruneMethod.MAGNITUDE, 0.6);
        Model plain = Pruner.prune(m, cfg, calib);
        Model refit = Pruner.prune(m, cfg.withReconstruct(true), calib);
        for (String w : List.of("W1", "W2", "W3", "G1", "G2")) {
            float[] p = Floats.of(plain.graph().initializers().get(w));
            float[] r = Floats.of(refit.graph().initializers().get(w));
            for (int i = 0; i < p.length; i++) {
                assertTrue(p[i] != 0 || r[i] == 0, w + "[" + i + "] was pruned but the refit revived it");
            }
        }
        double errPlain = 0;
        double errRefit = 0;
        for (Map<String, Tensor> in : calibration(200, 3)) {
            float[] d = run(m, in);
            float[] p = run(plain, in);
            float[] r = run(refit, in);
            for (int k = 0; k < d.length; k++) {
                errPlain += (d[k] - p[k]) * (d[k] - p[k]);
                errRefit += (d[k] - r[k]) * (d[k] - r[k]);
            }
        }
        assertTrue(errRefit < errPlain, "refit error " + errRefit + " not below plain " + errPlain);
    }

    private static float[] run(Model m, Map<String, Tensor> in) {
        try (var s = dev.sprig.core.session.Session.create(m, new dev.sprig.core.session.SessionOptions(1, false))) {
            return Floats.of(s.run(in).get("Y"));
        }
    }
}
