package dev.sprig.kernels.sparse;

import dev.sprig.kernels.gemm.Epilogue;
import dev.sprig.kernels.reference.SparseMatmul;

/** The scalar backend's sparse kernels: the reference loops of {@link SparseMatmul}. */
public final class SpmmKernelsScalar implements SpmmKernels {

    /** The one instance; stateless. */
    public static final SpmmKernelsScalar INSTANCE = new SpmmKernelsScalar();

    private SpmmKernelsScalar() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void rows(CsrMatrix w, int r0, int r1, float[] x, int xOff, int ldx, int j0, int j1,
                     float[] c, int cOff, int ldc, Epilogue ep) {
        SparseMatmul.rows(w, r0, r1, x, xOff, ldx, j0, j1, c, cOff, ldc, ep);
    }

    @Override
    public void dots(CsrMatrix w, int r0, int r1, float[] x, int xOff, int ldx, int batch,
                     float[] y, int yOff, int ldy, Epilogue ep) {
        SparseMatmul.dots(w, r0, r1, x, xOff, ldx, batch, y, yOff, ldy, ep);
    }

    @Override
    public void rows(BlockCsrMatrix w, int r0, int r1, float[] x, int xOff, int ldx, int j0, int j1,
                     float[] c, int cOff, int ldc, Epilogue ep) {
        SparseMatmul.rows(w, r0, r1, x, xOff, ldx, j0, j1, c, cOff, ldc, ep);
    }

    @Override
    public void dots(BlockCsrMatrix w, int r0, int r1, float[] x, int xOff, int ldx, int batch,
                     float[] y, int yOff, int ldy, Epilogue ep) {
        SparseMatmul.dots(w, r0, r1, x, xOff, ldx, batch, y, yOff, ldy, ep);
    }

    @Override
    public void rows(Compressed2to4Matrix w, int r0, int r1, float[] x, int xOff, int ldx, int j0, int j1,
                     float[] c, int cOff, int ldc, Epilogue ep) {
        SparseMatmul.rows(w, r0, r1, x, xOff, ldx, j0, j1, c, cOff, ldc, ep);
    }

    @Override
    public void dots(Compressed2to4Matrix w, int r0, int r1, float[] x, int xOff, int ldx, int batch,
                     float[] y, int yOff, int ldy, Epilogue ep) {
        SparseMatmul.dots(w, r0, r1, x, xOff, ldx, batch, y, yOff, ldy, ep);
    }
}
