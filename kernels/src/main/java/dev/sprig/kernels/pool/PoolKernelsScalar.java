package dev.sprig.kernels.pool;

import dev.sprig.kernels.reference.Pooling;

/** The reference pooling loops ({@link Pooling}) behind the {@link PoolKernels} interface. */
public final class PoolKernelsScalar implements PoolKernels {

    /** The one instance; it has no state. */
    public static final PoolKernelsScalar INSTANCE = new PoolKernelsScalar();

    private PoolKernelsScalar() {
    }

    @Override
    public void maxPool(PoolGeometry g, float[] x, int xOff, float[] y, int yOff) {
        Pooling.maxPool(g, x, xOff, y, yOff);
    }

    @Override
    public void averagePool(PoolGeometry g, boolean countIncludePad, float[] x, int xOff, float[] y, int yOff) {
        Pooling.averagePool(g, countIncludePad, x, xOff, y, yOff);
    }

    @Override
    public void globalMaxPool(int planes, int planeSize, float[] x, int xOff, float[] y, int yOff) {
        Pooling.globalMaxPool(planes, planeSize, x, xOff, y, yOff);
    }

    @Override
    public void globalAveragePool(int planes, int planeSize, float[] x, int xOff, float[] y, int yOff) {
        Pooling.globalAveragePool(planes, planeSize, x, xOff, y, yOff);
    }
}
