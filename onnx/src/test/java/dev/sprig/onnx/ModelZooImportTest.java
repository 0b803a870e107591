package dev.sprig.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sprig.core.DType;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Model;
import dev.sprig.core.graph.Node;
import dev.sprig.core.graph.ValueInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Loads every model of {@code ${sprig.testdata}/models} and checks what the loader found against
 * {@code models/INDEX.csv}, which was written by separate tools from the same files: IR version,
 * opset imports, node count, op-type counts, inputs and outputs (initializers excluded).
 */
class ModelZooImportTest {

    private static Path modelsDir() {
        String root = System.getProperty("sprig.testdata", "");
        Path dir = root.isEmpty() ? null : Path.of(root, "models");
        if (dir == null || !Files.isRegularFile(dir.resolve("INDEX.csv"))) {
            String reason = "skipped: no model test data (sprig.testdata=" + root + " has no models/INDEX.csv)";
            System.out.println(reason);
            Assumptions.abort(reason);
        }
        return dir;
    }

    @Test
    void mnist8MatchesItsIndexRowAndTestInput() throws IOException {
        Path dir = modelsDir();
        Map<String, String> row = index(dir).get("mnist-8");
        Model model = OnnxModelLoader.load(dir.resolve("mnist-8/model.onnx"));
        checkAgainstIndex("mnist-8", model, row);
        // mnist-8 lists its weights as inputs too: only the image is a real input
        assertEquals(1, model.graph().inputs().size());
        Tensor input = TensorProtos.readTensorFile(dir.resolve("mnist-8/test_data_set_0/input_0.pb"));
        // the index row says Input3:FLOAT[1,1,28,28]; the test input must be that tensor
        assertEquals(DType.FLOAT, input.dtype());
        assertEquals(Shape.of(1, 1, 28, 28), input.shape());
    }

    @Test
    void everyIndexedModelLoadsAndMatchesItsRow() throws IOException {
        Path dir = modelsDir();
        Map<String, Map<String, String>> rows = index(dir);
        assertFalse(rows.isEmpty(), "INDEX.csv has no rows");
        for (Map.Entry<String, Map<String, String>> e : rows.entrySet()) {
            Model model = OnnxModelLoader.load(dir.resolve(e.getKey()).resolve("model.onnx"));
            checkAgainstIndex(e.getKey(), model, e.getValue());
        }
    }

    private static void checkAgainstIndex(String name, Model model, Map<String, String> row) {
        assertEquals(Long.parseLong(row.get("ir_version")), model.irVersion(), name + " ir_version");
        assertEquals(Integer.parseInt(row.get("n_nodes")), model.graph().nodes().size(), name + " node count");

        Map<String, Integer> expectedOpsets = new TreeMap<>();
        for (String kv : row.get("opset_imports").split(";")) {
            String[] p = kv.split(":");
            expectedOpsets.put(p[0].equals("ai.onnx") ? "" : p[0], Integer.parseInt(p[1]));
        }
        assertEquals(expectedOpsets, new TreeMap<>(model.opsets()), name + " opset imports");

        Map<String, Integer> expectedOps = new TreeMap<>();
        for (String kv : row.get("op_type_counts").split(";")) {
            String[] p = kv.split("=");
            expectedOps.put(p[0], Integer.parseInt(p[1]));
        }
        Map<String, Integer> actualOps = new TreeMap<>();
        for (Node n : model.graph().nodes()) {
            String key = n.domain().isEmpty() ? n.opType() : n.domain() + ":" + n.opType();
            actualOps.merge(key, 1, Integer::sum);
        }
        assertEquals(expectedOps, actualOps, name + " op-type counts");

        assertEquals(row.get("inputs"), describe(model.graph().inputs()), name + " inputs");
        assertEquals(row.get("outputs"), describe(model.graph().outputs()), name + " outputs");
    }

    /** ValueInfos as INDEX.csv writes them: {@code name:TYPE[d0,d1];...}. */
    private static String describe(List<ValueInfo> values) {
        return values.stream().map(ValueInfo::toString).collect(Collectors.joining(";"));
    }

    /** INDEX.csv rows by model name, each a column -> value map. */
    private static Map<String, Map<String, String>> index(Path dir) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("INDEX.csv"));
        List<String> header = splitCsv(lines.get(0));
        Map<String, Map<String, String>> rows = new TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> cells = splitCsv(line);
            Map<String, String> row = new TreeMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), i < cells.size() ? cells.get(i) : "");
            }
            rows.put(row.get("model"), row);
        }
        return rows;
    }

    /** One CSV line split on commas outside double quotes ("" inside quotes is a quote). */
    static List<String> splitCsv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                cell.append('"');
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
