package dev.sprig.bench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.prune.PruneMethod;
import org.junit.jupiter.api.Test;

/** The variant names the benchmark accepts, and the errors for the ones it does not. */
class VariantTest {

    @Test
    void plainVariantsHaveNoPruning() {
        assertEquals(Variant.Kind.FP32, Variant.parse("fp32").kind());
        assertEquals(Variant.Kind.ONNXRUNTIME, Variant.parse("ORT").kind());
        assertEquals("onnxruntime", Variant.parse("ort").name());
        assertFalse(Variant.parse("onnxruntime").isSprig());
        assertEquals(Variant.Kind.INT8_DYNAMIC, Variant.parse(" int8-dynamic ").kind());
        assertNull(Variant.parse("int8").pruning());
    }

    @Test
    void prunedVariantsCarryMethodSparsityAndRefit() {
        Variant v = Variant.parse("pruned-magnitude-0.5");
        assertEquals(Variant.Kind.PRUNED, v.kind());
        assertEquals(PruneMethod.MAGNITUDE, v.pruning().method());
        assertEquals(0.5, v.pruning().sparsity());
        assertFalse(v.pruning().reconstruct());

        Variant c = Variant.parse("pruned-channels-.25-refit");
        assertEquals(PruneMethod.CHANNELS, c.pruning().method());
        assertEquals(0.25, c.pruning().sparsity());
        assertTrue(c.pruning().reconstruct());

        assertEquals(PruneMethod.WANDA, Variant.parse("pruned-wanda-0.7").pruning().method());
        assertEquals(PruneMethod.BLOCK_1X4, Variant.parse("pruned-block1x4-0.6").pruning().method());
        assertEquals(PruneMethod.BLOCK_4X4, Variant.parse("pruned-block4x4-0").pruning().method());
        assertEquals(PruneMethod.N_M, Variant.parse("pruned-2:4").pruning().method());
        assertEquals(PruneMethod.N_M, Variant.parse("pruned-2:4-0.5").pruning().method());
    }

    @Test
    void int8CompositesQuantizeTheirPrunedVariant() {
        Variant v = Variant.parse("pruned-channels-0.25-refit+int8");
        assertEquals(Variant.Kind.PRUNED_INT8, v.kind());
        assertEquals("pruned-channels-0.25-refit+int8", v.name());
        assertEquals(Variant.parse("pruned-channels-0.25-refit"), v.pruned());
        assertEquals(Variant.Kind.PRUNED_INT8, Variant.parse("pruned-2:4+int8").kind());
        assertTrue(v.isSprig());
    }

    @Test
    void badNamesSayWhatIsAccepted() {
        String unknown = assertThrows(IllegalArgumentException.class, () -> Variant.parse("fp16")).getMessage();
        assertTrue(unknown.contains("'fp16'") && unknown.contains("pruned-<method>-<sparsity>[-refit]+int8"), unknown);

        String method = assertThrows(IllegalArgumentException.class,
                () -> Variant.parse("pruned-random-0.5")).getMessage();
        assertTrue(method.contains("unknown pruning method 'random'")
                && method.contains("magnitude, wanda, 2:4, block1x4, block4x4, channels"), method);

        String range = assertThrows(IllegalArgumentException.class,
                () -> Variant.parse("pruned-magnitude-1.5")).getMessage();
        assertTrue(range.contains("[0, 1)") && range.contains("1.5"), range);

        String missing = assertThrows(IllegalArgumentException.class,
                () -> Variant.parse("pruned-magnitude+int8")).getMessage();
        assertTrue(missing.contains("give the sparsity"), missing);

        String nm = assertThrows(IllegalArgumentException.class, () -> Variant.parse("pruned-2:4-0.8")).getMessage();
        assertTrue(nm.contains("0.5") && nm.contains("0.8"), nm);
    }
}
