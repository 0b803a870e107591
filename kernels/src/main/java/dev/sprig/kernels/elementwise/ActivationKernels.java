package dev.sprig.kernels.elementwise;

/**
 * The transcendental activations, elementwise over a range ({@code y} may be {@code x} at the
 * same offset). One implementation per backend ({@code KernelBackend#activations()}): the
 * double-precision reference ({@link dev.sprig.kernels.reference.Activations}) and the Vector API
 * polynomials of {@link ActivationVector}, whose error bounds its Javadoc states and
 * {@code ActivationAccuracyTest} measures over a sweep of the float range.
 */
public interface ActivationKernels {

    /** {@code 1 / (1 + e^-x)}. */
    void sigmoid(float[] x, int xOff, float[] y, int yOff, int n);

    /** Hyperbolic tangent. */
    void tanh(float[] x, int xOff, float[] y, int yOff, int n);

    /** The error function. */
    void erf(float[] x, int xOff, float[] y, int yOff, int n);

    /** Exact GELU, {@code x/2 * (1 + erf(x / sqrt 2))}. */
    void gelu(float[] x, int xOff, float[] y, int yOff, int n);

    /** GELU's tanh approximation, {@code x/2 * (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}. */
    void geluTanh(float[] x, int xOff, float[] y, int yOff, int n);
}
