package dev.sprig.core.ops.elementwise;

import dev.sprig.core.DType;
import dev.sprig.core.ModelException;
import dev.sprig.core.Tensor;
import dev.sprig.core.graph.Node;
import dev.sprig.core.ops.BroadcastBinary;
import dev.sprig.core.ops.Operator;
import dev.sprig.core.ops.OperatorRegistry;
import dev.sprig.core.ops.OutputAllocator;
import dev.sprig.kernels.BinaryOp;
import java.util.Arrays;
import java.util.Set;
import java.util.function.LongBinaryOperator;

/**
 * Add, Sub, Mul and Div. FLOAT goes to the kernels through {@link BroadcastBinary}; integers
 * are computed in long and wrap around on overflow, and integer Div truncates toward zero (C's
 * rule); an integer division by zero is an {@link IllegalArgumentException}.
 *
 * <p>Versions: 6 (legacy {@code broadcast}/{@code axis} attributes: B broadcast onto A only),
 * 7 (multidirectional broadcasting; FLOAT, INT32, INT64), 14 (adds INT8 and UINT8). Version 13
 * only added bfloat16.
 */
final class ArithmeticOperators {

    private ArithmeticOperators() {
    }

    /** One arithmetic op: its FLOAT kernel and its integer definition. */
    enum Arithmetic {
        ADD("Add", BinaryOp.ADD, (a, b) -> a + b),
        SUB("Sub", BinaryOp.SUB, (a, b) -> a - b),
        MUL("Mul", BinaryOp.MUL, (a, b) -> a * b),
        DIV("Div", BinaryOp.DIV, ArithmeticOperators::integerDivide);

        final String opType;
        final BinaryOp kernel;
        final LongBinaryOperator integer;

        Arithmetic(String opType, BinaryOp kernel, LongBinaryOperator integer) {
            this.opType = opType;
            this.kernel = kernel;
            this.integer = integer;
        }

        /** {@code a op b} with broadcasting; a and b have one type; a FLOAT result's storage from {@code allocator}. */
        Tensor apply(Tensor a, Tensor b, OutputAllocator allocator) {
            return a.dtype() == DType.FLOAT
                    ? BroadcastBinary.apply(kernel, a, b, allocator)
                    : BroadcastLoops.longs(a, b, integer, a.dtype());
        }
    }

    static void register(OperatorRegistry r) {
        for (Arithmetic op : Arithmetic.values()) {
            r.register(op.opType, 6, (node, opset) -> legacy(node, opset, op));
            r.register(op.opType, 7, (node, opset) -> broadcasting(opset, op, TypeRules.FLOAT_INT32_INT64));
            r.register(op.opType, 14, (node, opset) -> broadcasting(opset, op, TypeRules.NUMERIC));
        }
    }

    private static Operator broadcasting(int opset, Arithmetic op, Set<DType> types) {
        return (in, ctx) -> {
            Tensor a = TypeRules.input(op.opType, opset, in, 0, "A", types);
            Tensor b = TypeRules.input(op.opType, opset, in, 1, "B", types);
            TypeRules.requireSameType(op.opType, "A", a, "B", b);
            return new Tensor[]{op.apply(a, b, ctx.allocator())};
        };
    }

    /**
     * Opset 6: without {@code broadcast=1} the shapes must be equal; with it B's dimensions line
     * up with A's from {@code axis} (default: A's trailing axes) and B is broadcast onto A.
     */
    private static Operator legacy(Node node, int opset, Arithmetic op) {
        boolean broadcast = node.attrInt("broadcast", 0) != 0;
        Long axis = node.hasAttribute("axis") ? node.attrInt("axis", 0) : null;
        if (axis != null && !broadcast) {
            throw new ModelException(node.describe() + ": attribute 'axis' needs broadcast=1");
        }
        return (in, ctx) -> {
            Tensor a = TypeRules.input(op.opType, opset, in, 0, "A", TypeRules.FLOAT_INT32_INT64);
            Tensor b = TypeRules.input(op.opType, opset, in, 1, "B", TypeRules.FLOAT_INT32_INT64);
            TypeRules.requireSameType(op.opType, "A", a, "B", b);
            if (!broadcast) {
                if (!a.shape().equals(b.shape())) {
                    throw new IllegalArgumentException(op.opType + " (opset " + opset + ") without broadcast=1 needs"
                            + " equal shapes, got A " + a.shape() + " and B " + b.shape());
                }
                return new Tensor[]{op.apply(a, b, ctx.allocator())};
            }
            Tensor c = op.apply(a, alignLegacy(op.opType, a, b, axis), ctx.allocator());
            if (!c.shape().equals(a.shape())) {
                throw new IllegalArgumentException(op.opType + " (opset " + opset + ", broadcast=1): B " + b.shape()
                        + " does not broadcast onto A " + a.shape());
            }
            return new Tensor[]{c};
        };
    }

    /** B with trailing 1s appended so that its first axis lines up with A's {@code axis}. */
    private static Tensor alignLegacy(String opType, Tensor a, Tensor b, Long axis) {
        int rankA = a.shape().rank();
        int rankB = b.shape().rank();
        int start = axis == null ? rankA - rankB : (int) (axis < 0 ? axis + rankA : axis);
        if (start < 0 || start + rankB > rankA) {
            throw new IllegalArgumentException(opType + " (broadcast=1): B " + b.shape() + " at axis " + start
                    + " does not fit inside A " + a.shape());
        }
        int[] dims = Arrays.copyOf(b.shape().dims(), rankA - start);
        Arrays.fill(dims, rankB, dims.length, 1);
        return b.contiguous().reshape(dims);
    }

    static long integerDivide(long a, long b) {
        if (b == 0) {
            throw new IllegalArgumentException("integer division by zero (dividend " + a + ")");
        }
        return a / b;
    }
}
