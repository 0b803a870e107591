package dev.sprig.core.ops.elementwise;

import dev.sprig.core.DType;
import dev.sprig.core.Tensor;
import dev.sprig.core.ops.OperatorRegistry;

/**
 * Where (opset 9; 16 only added bfloat16): {@code condition ? X : Y} elementwise, the three
 * broadcast together; X and Y of one type, any type. FLOAT has its own loop (attention masks
 * are large); the other types copy element by element through {@link System#arraycopy}, one
 * loop for every storage type.
 */
final class WhereOperator {

    private WhereOperator() {
    }

    static void register(OperatorRegistry r) {
        r.register("Where", 9, (node, opset) -> (in, ctx) -> {
            Tensor cond = TypeRules.input("Where", opset, in, 0, "condition", TypeRules.BOOL);
            Tensor x = TypeRules.input("Where", opset, in, 1, "X", TypeRules.ALL);
            Tensor y = TypeRules.input("Where", opset, in, 2, "Y", TypeRules.ALL);
            TypeRules.requireSameType("Where", "X", x, "Y", y);
            return new Tensor[]{where(cond, x, y)};
        });
    }

    static Tensor where(Tensor condition, Tensor x, Tensor y) {
        Broadcast bc = Broadcast.of(condition.shape(), x.shape(), y.shape());
        Tensor c = condition.contiguous();
        Tensor xc = x.contiguous();
        Tensor yc = y.contiguous();
        boolean[] cd = c.booleanData();
        int cBase = c.offset();
        int xBase = xc.offset();
        int yBase = yc.offset();
        int cs = bc.step(0);
        int xs = bc.step(1);
        int ys = bc.step(2);
        Tensor out = Tensor.zeros(x.dtype(), bc.shape());
        if (x.dtype() == DType.FLOAT) {
            float[] xd = xc.floatData();
            float[] yd = yc.floatData();
            float[] z = out.floatData();
            bc.forEachRun((o, offs, n) -> {
                int co = cBase + offs[0];
                int xo = xBase + offs[1];
                int yo = yBase + offs[2];
                for (int i = 0; i < n; i++) {
                    z[o + i] = cd[co + i * cs] ? xd[xo + i * xs] : yd[yo + i * ys];
                }
            });
            return out;
        }
        Object xd = Values.storage(xc);
        Object yd = Values.storage(yc);
        Object z = Values.storage(out);
        bc.forEachRun((o, offs, n) -> {
            int co = cBase + offs[0];
            int xo = xBase + offs[1];
            int yo = yBase + offs[2];
            for (int i = 0; i < n; i++) {
                if (cd[co + i * cs]) {
                    System.arraycopy(xd, xo + i * xs, z, o + i, 1);
                } else {
                    System.arraycopy(yd, yo + i * ys, z, o + i, 1);
                }
            }
        });
        return out;
    }
}
