package dev.sprig.kernels.conv;

import dev.sprig.kernels.gemm.Epilogue;
import dev.sprig.kernels.reference.Conv2dDepthwise;

/** The scalar backend's depthwise kernel: the reference loops of {@link Conv2dDepthwise}. */
public final class Conv2dDepthwiseScalar implements DepthwiseConvKernel {

    /** The one instance; the kernel has no state. */
    public static final Conv2dDepthwiseScalar INSTANCE = new Conv2dDepthwiseScalar();

    private Conv2dDepthwiseScalar() {
    }

    @Override
    public String name() {
        return "Conv2dDepthwiseScalar";
    }

    @Override
    public void plane(Conv2dShape s, float[] x, int xOff, float[] w, int wOff, float[] y, int yOff,
                      Epilogue epilogue, int channel) {
        DepthwiseConvKernel.checkPlane(s, x, xOff, w, wOff, y, yOff, channel);
        Conv2dDepthwise.plane(s, x, xOff, w, wOff, y, yOff, epilogue, channel);
    }
}
