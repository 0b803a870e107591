package dev.sprig.bench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import dev.sprig.core.graph.ValueInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pruned variants the factory makes, checked against the magnitude criterion counted here. */
class VariantFactoryTest {

    private static final Model ENCODER = SyntheticModels.encoder(new SyntheticModels.EncoderSize(1, 16, 2, 32, 4), 5);

    private static VariantFactory factory() {
        InputFactory inputs = new InputFactory(ENCODER.graph(), Map.of(), null, null);
        return new VariantFactory(BenchModel.inMemory("enc", ENCODER), () -> {
            List<Map<String, Tensor>> c = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                c.add(inputs.sample(i + 1, 1));
            }
            return c;
        });
    }

    /** Names of the FLOAT weights the pruner works on: initializers feeding MatMul, Gemm or Conv as input 1. */
    private static Set<String> weightNames(Graph g) {
        Set<String> names = new HashSet<>();
        for (Node n : g.nodes()) {
            if (Set.of("MatMul", "Gemm", "Conv").contains(n.opType()) && n.inputs().size() > 1) {
                Tensor w = g.initializers().get(n.inputs().get(1));
                if (w != null && w.dtype() == DType.FLOAT && w.shape().rank() == 2) {
                    names.add(n.inputs().get(1));
                }
            }
        }
        return names;
    }

    @Test
    void magnitudePruningZeroesTheSmallestHalfOfEveryLayer() throws Exception {
        Model pruned = factory().transform(Variant.parse("pruned-magnitude-0.5"));
        Set<String> names = weightNames(ENCODER.graph());
        assertTrue(names.size() >= 4, "the encoder has projection weights: " + names);
        for (String name : names) {
            float[] dense = ENCODER.graph().initializers().get(name).contiguous().floatData();
            float[] after = pruned.graph().initializers().get(name).contiguous().floatData();
            assertEquals(dense.length, after.length, name);
            int zeros = 0;
            double largestRemoved = 0;
            double smallestKept = Double.MAX_VALUE;
            for (int i = 0; i < dense.length; i++) {
                if (after[i] == 0) {
                    zeros++;
                    largestRemoved = Math.max(largestRemoved, Math.abs(dense[i]));
                } else {
                    assertEquals(dense[i], after[i], 0, name + "[" + i + "] kept as it was");
                    smallestKept = Math.min(smallestKept, Math.abs(dense[i]));
                }
            }
            assertEquals(dense.length / 2.0, zeros, 1.0, name + ": half the weights are zero");
            assertTrue(largestRemoved <= smallestKept, name + ": removed |w| " + largestRemoved
                    + " above kept |w| " + smallestKept);
        }
    }

    @Test
    void theInt8CompositeQuantizesThePrunedModelKeepingItsZeros() throws Exception {
        VariantFactory f = factory();
        Model pruned = f.transform(Variant.parse("pruned-magnitude-0.5"));
        Model both = f.transform(Variant.parse("pruned-magnitude-0.5+int8"));
        assertSame(pruned, f.transform(Variant.parse("pruned-magnitude-0.5")), "made once");
        long prunedZeros = 0;
        for (String name : weightNames(ENCODER.graph())) {
            for (float v : pruned.graph().initializers().get(name).contiguous().floatData()) {
                prunedZeros += v == 0 ? 1 : 0;
            }
        }
        long int8Zeros = 0;
        long int8Values = 0;
        for (Tensor t : both.graph().initializers().values()) {
            if (t.dtype() == DType.INT8) {
                Tensor c = t.contiguous();
                for (int i = 0; i < c.size(); i++) {
                    int8Zeros += c.byteData()[c.offset() + i] == 0 ? 1 : 0;
                }
                int8Values += c.size();
            }
        }
        assertTrue(int8Values > 0, "the composite holds INT8 weights");
        // symmetric weight quantization maps 0 to 0, so every pruned zero stays one
        assertTrue(int8Zeros >= prunedZeros, int8Zeros + " INT8 zeros, " + prunedZeros + " pruned");
    }

    @Test
    void aModelWithNothingToPruneHasNoPrunedVariant() {
        // an already-quantized model's weights are integers: pruning it must not report fp32's figures
        ValueInfo x = new ValueInfo("x", DType.FLOAT,
                List.of(ValueInfo.Dim.of(1), ValueInfo.Dim.of(4)));
        Graph g = new Graph("relu", List.of(Node.of("r", "Relu", List.of("x"), List.of("y"))), List.of(x),
                List.of(new ValueInfo("y", DType.FLOAT, null)), Map.of(), List.of());
        VariantFactory f = new VariantFactory(BenchModel.inMemory("relu", new Model(g, Map.of("", 17), 8, "t")),
                () -> List.of(Map.of("x", Tensor.of(new float[4], 1, 4))));
        VariantUnavailableException e = assertThrows(
                VariantUnavailableException.class, () -> f.transform(Variant.parse("pruned-magnitude-0.5")));
        assertTrue(e.getMessage().contains("no FLOAT Conv, MatMul or Gemm weight to prune"), e.getMessage());
    }
}
