package dev.sprig.spark;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.graph.Graph;
import dev.sprig.core.graph.ValueInfo;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * What a Dataset column must hold to feed a model: its one FLOAT input, the dimensions of one row
 * (the declared shape without the batch dimension), and whether rows can be joined into one run
 * (batch dimension symbolic) or must run one at a time (batch dimension fixed at 1); and the name
 * of the output that becomes the score column.
 *
 * @param input       the model's input as declared, e.g. {@code Input3:FLOAT[1,1,28,28]}
 * @param inputName   the input's name, e.g. {@code Input3}
 * @param rowDims     the input's dimensions after the batch dimension
 * @param batched     true when the batch dimension is symbolic, so several rows run together
 * @param outputName  the graph output read into the score column
 */
record ModelSignature(String input, String inputName, int[] rowDims, boolean batched, String outputName)
        implements Serializable {

    /**
     * The signature of {@code graph}, reading output {@code output} (null: the first graph output).
     *
     * @throws ModelException when the model has not exactly one input, the input is not FLOAT, its
     *                        shape is not declared, a dimension after the batch one is not fixed,
     *                        the batch dimension is fixed at a size other than 1, or the output
     *                        does not exist
     */
    static ModelSignature of(Graph graph, String output) {
        List<ValueInfo> inputs = graph.inputs();
        if (inputs.size() != 1) {
            throw new ModelException("SprigInference feeds one input column into one model input; the model has "
                    + inputs.size() + " inputs " + inputs);
        }
        ValueInfo in = inputs.get(0);
        if (in.type() != null && in.type() != DType.FLOAT) {
            throw new ModelException("SprigInference feeds FLOAT tensors; the model's input is " + in);
        }
        List<ValueInfo.Dim> dims = in.shape();
        if (dims == null || dims.isEmpty()) {
            throw new ModelException("the model's input " + in + " declares no batch dimension and row shape;"
                    + " SprigInference needs them to reshape each row's floats");
        }
        int[] rowDims = new int[dims.size() - 1];
        for (int a = 1; a < dims.size(); a++) {
            ValueInfo.Dim d = dims.get(a);
            if (!d.isFixed() || d.value() > Integer.MAX_VALUE) {
                throw new ModelException("the model's input " + in + " has dimension " + a + " = " + d
                        + "; SprigInference needs every dimension after the batch one fixed to reshape a row");
            }
            rowDims[a - 1] = (int) d.value();
        }
        ValueInfo.Dim batch = dims.get(0);
        if (batch.isFixed() && batch.value() != 1) {
            throw new ModelException("the model's input " + in + " fixes the batch dimension at " + batch.value()
                    + "; SprigInference runs models whose batch dimension is symbolic or 1");
        }
        long elements = 1;
        for (int d : rowDims) {
            elements *= d;
        }
        if (elements > Integer.MAX_VALUE - 8) {
            throw new ModelException("the model's input " + in + " has " + elements + " elements per row, more"
                    + " than a Java array holds");
        }
        String outputName = output;
        if (outputName == null) {
            if (graph.outputs().isEmpty()) {
                throw new ModelException("the model declares no graph output");
            }
            outputName = graph.outputs().get(0).name();
        } else if (graph.outputs().stream().noneMatch(o -> o.name().equals(output))) {
            throw new ModelException("the model has no output '" + output + "'; its outputs are "
                    + graph.outputs().stream().map(ValueInfo::name).toList());
        }
        return new ModelSignature(in.toString(), in.name(), rowDims, !batch.isFixed(), outputName);
    }

    /** Floats in one row. */
    int rowElements() {
        int n = 1;
        for (int d : rowDims) {
            n *= d;
        }
        return n;
    }

    /** The input shape of a run over {@code rows} rows: the batch dimension first. */
    int[] shape(int rows) {
        int[] shape = new int[rowDims.length + 1];
        shape[0] = rows;
        System.arraycopy(rowDims, 0, shape, 1, rowDims.length);
        return shape;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSignature s && input.equals(s.input) && Arrays.equals(rowDims, s.rowDims)
                && batched == s.batched && outputName.equals(s.outputName);
    }

    @Override
    public int hashCode() {
        return 31 * input.hashCode() + outputName.hashCode();
    }

    @Override
    public String toString() {
        return input + (batched ? " (rows batched)" : " (one row per run)") + " -> " + outputName;
    }
}
