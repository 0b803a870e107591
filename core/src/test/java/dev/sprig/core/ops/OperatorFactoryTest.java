package dev.sprig.core.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.core.ModelException;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The two factory shapes of operators that prepare constant weights. */
class OperatorFactoryTest {

    private static final Node NODE = new Node("fc", "MatMulBias", "dev.sprig", List.of("x", "w"), List.of("y"), Map.of());
    private static final Operator OP = (inputs, context) -> inputs;

    @Test
    void preparingGivesTheConstantsOrAnEmptyMap() {
        List<Map<String, Tensor>> seen = new ArrayList<>();
        OperatorFactory f = OperatorFactory.preparing((node, opset, constants) -> {
            seen.add(constants);
            return OP;
        });
        Map<String, Tensor> constants = Map.of("w", Tensor.of(new float[]{1f, 2f}, 2));
        assertSame(OP, f.create(NODE, 13));
        assertSame(OP, f.create(NODE, 13, constants));
        assertEquals(List.of(Map.of(), constants), seen);
    }

    @Test
    void requiringConstantsRefusesToBuildWithoutThemNamingTheNode() {
        OperatorFactory f = OperatorFactory.requiringConstants((node, opset, constants) -> OP);
        ModelException e = assertThrows(ModelException.class, () -> f.create(NODE, 1));
        assertTrue(e.getMessage().contains("dev.sprig:MatMulBias node 'fc'"), e.getMessage());
        assertTrue(e.getMessage().contains("needs its constant weights"), e.getMessage());
        assertSame(OP, f.create(NODE, 1, Map.of()));
    }
}
