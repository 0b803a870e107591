package dev.sprig.kernels.elementwise;

import dev.sprig.kernels.reference.Activations;

/** The scalar backend's activations: the double-precision reference. */
public final class ActivationKernelsScalar implements ActivationKernels {

    /** The one instance. */
    public static final ActivationKernelsScalar INSTANCE = new ActivationKernelsScalar();

    private ActivationKernelsScalar() {
    }

    @Override
    public void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        Activations.sigmoid(x, xOff, y, yOff, n);
    }

    @Override
    public void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        Activations.tanh(x, xOff, y, yOff, n);
    }

    @Override
    public void erf(float[] x, int xOff, float[] y, int yOff, int n) {
        Activations.erf(x, xOff, y, yOff, n);
    }

    @Override
    public void gelu(float[] x, int xOff, float[] y, int yOff, int n) {
        Activations.gelu(x, xOff, y, yOff, n);
    }

    @Override
    public void geluTanh(float[] x, int xOff, float[] y, int yOff, int n) {
        Activations.geluTanh(x, xOff, y, yOff, n);
    }
}
