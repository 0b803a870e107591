package dev.sprig.core.ops.nn;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Shape;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.OpContext;
import dev.sprig.core.ops.Operator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * ONNX {@code Einsum} on FLOAT tensors, by its definition: every label of the equation is a loop
 * index; each output element is the sum, over the labels missing from the output, of the product of
 * the inputs at those indices. A label repeated within one term takes its diagonal; {@code ...}
 * stands for the same broadcast axes in every term. Without {@code ->} the output is the
 * ellipsis axes followed by the labels that occur once, in alphabetical order (numpy's implicit
 * mode). Products and sums are in float, summed in row-major order of the summed labels.
 */
final class EinsumOperator implements Operator {

    /** Label ids 0..51 are the letters; ellipsis axes get ids from here on. */
    private static final int ELLIPSIS_BASE = 52;

    private final String name;
    private final List<String> terms;
    private final String output;

    private EinsumOperator(Node node) {
        this.name = node.describe();
        String eq = node.attrString("equation", null);
        if (eq == null) {
            throw new ModelException(name + ": required attribute 'equation' is missing");
        }
        eq = eq.replace(" ", "");
        int arrow = eq.indexOf("->");
        String lhs = arrow < 0 ? eq : eq.substring(0, arrow);
        this.output = arrow < 0 ? null : eq.substring(arrow + 2);
        this.terms = List.of(lhs.split(",", -1));
        for (String t : terms) {
            check(node, t, eq);
        }
        if (output != null) {
            check(node, output, eq);
        }
        if (node.inputs().size() != terms.size()) {
            throw new ModelException(name + ": equation '" + eq + "' has " + terms.size() + " input terms but the"
                    + " node has " + node.inputs().size() + " inputs");
        }
    }

    /** The factory: parses and checks the equation at load. */
    static Operator create(Node node, int opset) {
        return new EinsumOperator(node);
    }

    private static void check(Node node, String term, String eq) {
        String rest = term.replaceFirst("\\.\\.\\.", "");
        for (char ch : rest.toCharArray()) {
            if (!Character.isLetter(ch) || ch > 'z') {
                throw new ModelException(node.describe() + ": equation '" + eq + "': term '" + term
                        + "' may hold letters and one '...', found '" + ch + "'");
            }
        }
    }

    @Override
    public Tensor[] run(Tensor[] inputs, OpContext context) {
        int count = terms.size();
        Tensor[] x = new Tensor[count];
        int[][] labels = new int[count][];
        int ellipsisRank = 0;
        for (int t = 0; t < count; t++) {
            x[t] = NnInputs.floatInput(name, "Inputs[" + t + "]", inputs, t).contiguous();
            String term = terms.get(t);
            int letters = term.replace("...", "").length();
            int rank = x[t].shape().rank();
            boolean hasEllipsis = term.contains("...");
            if (hasEllipsis ? rank < letters : rank != letters) {
                throw new IllegalArgumentException(name + ": term '" + term + "' does not fit input " + t + " of shape "
                        + x[t].shape());
            }
            if (hasEllipsis) {
                ellipsisRank = Math.max(ellipsisRank, rank - letters);
            }
        }
        // the size of every label; ellipsis axes broadcast (right-aligned)
        int[] size = new int[ELLIPSIS_BASE + ellipsisRank];
        Arrays.fill(size, -1);
        for (int t = 0; t < count; t++) {
            labels[t] = expand(terms.get(t), x[t].shape().rank(), ellipsisRank);
            for (int axis = 0; axis < labels[t].length; axis++) {
                int label = labels[t][axis];
                int d = x[t].shape().dim(axis);
                if (size[label] == -1 || (label >= ELLIPSIS_BASE && size[label] == 1)) {
                    size[label] = d;
                } else if (size[label] != d && !(label >= ELLIPSIS_BASE && d == 1)) {
                    throw new IllegalArgumentException(name + ": label " + describe(label) + " has size " + size[label]
                            + " in one place and " + d + " in input " + t + " " + x[t].shape());
                }
            }
        }
        int[] out = outputLabels(labels, ellipsisRank, size);
        List<Integer> summed = new ArrayList<>();
        for (int label = 0; label < size.length; label++) {
            if (size[label] >= 0 && !contains(out, label)) {
                summed.add(label);
            }
        }
        int[] sum = summed.stream().mapToInt(Integer::intValue).toArray();
        // per input, the element stride of each label (repeated labels add up: the diagonal)
        int[][] stride = new int[count][size.length];
        for (int t = 0; t < count; t++) {
            int[] own = x[t].shape().contiguousStrides();
            for (int axis = 0; axis < labels[t].length; axis++) {
                if (x[t].shape().dim(axis) != 1 || size[labels[t][axis]] == 1) {
                    stride[t][labels[t][axis]] += own[axis];
                }
            }
        }
        int[] outDims = new int[out.length];
        for (int i = 0; i < out.length; i++) {
            outDims[i] = size[out[i]];
        }
        Tensor y = Tensor.zeros(DType.FLOAT, Shape.of(outDims));
        float[] yd = y.floatData();
        int sumCount = 1;
        for (int label : sum) {
            sumCount *= size[label];
        }
        int[] oi = new int[out.length];
        int[] si = new int[sum.length];
        int[] base = new int[count];
        for (int j = 0; j < yd.length; j++) {
            for (int t = 0; t < count; t++) {
                base[t] = x[t].offset();
                for (int i = 0; i < out.length; i++) {
                    base[t] += oi[i] * stride[t][out[i]];
                }
            }
            float acc = 0f;
            Arrays.fill(si, 0);
            for (int s = 0; s < sumCount; s++) {
                float prod = 1f;
                for (int t = 0; t < count; t++) {
                    int p = base[t];
                    for (int i = 0; i < sum.length; i++) {
                        p += si[i] * stride[t][sum[i]];
                    }
                    prod = t == 0 ? x[t].floatData()[p] : prod * x[t].floatData()[p];
                }
                acc += prod;
                increment(si, sum, size);
            }
            yd[j] = acc;
            increment(oi, out, size);
        }
        return new Tensor[]{y};
    }

    /** The label ids of a term's axes, its ellipsis expanded to the trailing ellipsis ids. */
    private static int[] expand(String term, int rank, int ellipsisRank) {
        int[] ids = new int[rank];
        int e = term.indexOf("...");
        int own = term.replace("...", "").length();
        int here = rank - own; // ellipsis axes of this input: right-aligned among all ellipsis axes
        int a = 0;
        for (int i = 0; i < term.length(); i++) {
            if (i == e) {
                for (int k = 0; k < here; k++) {
                    ids[a++] = ELLIPSIS_BASE + ellipsisRank - here + k;
                }
                i += 2;
            } else {
                ids[a++] = letterId(term.charAt(i));
            }
        }
        return ids;
    }

    private int[] outputLabels(int[][] labels, int ellipsisRank, int[] size) {
        if (output != null) {
            int[] ids = expand(output, output.replace("...", "").length() + (output.contains("...") ? ellipsisRank : 0),
                    ellipsisRank);
            for (int id : ids) {
                if (size[id] < 0) {
                    throw new IllegalArgumentException(name + ": output label " + describe(id)
                            + " does not occur in any input");
                }
            }
            return ids;
        }
        int[] occurrences = new int[ELLIPSIS_BASE];
        for (int[] term : labels) {
            for (int id : term) {
                if (id < ELLIPSIS_BASE) {
                    occurrences[id]++;
                }
            }
        }
        List<Integer> ids = new ArrayList<>();
        for (int k = 0; k < ellipsisRank; k++) {
            ids.add(ELLIPSIS_BASE + k);
        }
        // alphabetical: upper case before lower case, as in numpy
        for (int id = 0; id < ELLIPSIS_BASE; id++) {
            if (occurrences[id] == 1) {
                ids.add(id);
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int letterId(char ch) {
        return ch >= 'a' ? 26 + (ch - 'a') : ch - 'A';
    }

    private static String describe(int id) {
        if (id >= ELLIPSIS_BASE) {
            return "'...' axis " + (id - ELLIPSIS_BASE);
        }
        return "'" + (char) (id < 26 ? 'A' + id : 'a' + id - 26) + "'";
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private static void increment(int[] idx, int[] labels, int[] size) {
        for (int i = idx.length - 1; i >= 0; i--) {
            if (++idx[i] < size[labels[i]]) {
                return;
            }
            idx[i] = 0;
        }
    }
}
