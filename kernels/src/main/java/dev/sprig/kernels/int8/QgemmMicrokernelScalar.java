package dev.sprig.kernels.int8;

/**
 * The readable tile of {@link Qgemm} on the packed layouts ({@link QgemmMicrokernel}): 4 rows x 16
 * columns, one multiply-add per step. The scalar backend's kernel and the vector tile's oracle.
 */
public final class QgemmMicrokernelScalar implements QgemmMicrokernel {

    /** The one instance; the kernel has no state. */
    public static final QgemmMicrokernelScalar INSTANCE = new QgemmMicrokernelScalar();

    private static final int MR = 4;
    private static final int NR = PackedQMatrix.NR;

    private QgemmMicrokernelScalar() {
    }

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public String name() {
        return "QgemmMicrokernelScalar(" + MR + "x" + NR + ")";
    }

    @Override
    public void tile(int quads, int[] a, int aOff, byte[] b, int bOff, int[] c, int cOff, int ldc,
                     int rows, int cols, boolean accumulate) {
        int[] acc = new int[MR * NR];
        for (int t = 0; t < quads; t++) {
            for (int h = 0; h < 2; h++) {
                int bp = bOff + t * 64 + h * 32;
                for (int r = 0; r < rows; r++) {
                    int pair = a[aOff + t * 2 * MR + h * MR + r];
                    int lo = (short) pair;
                    int hi = pair >> 16;
                    for (int j = 0; j < NR; j++) {
                        acc[r * NR + j] += lo * b[bp + 2 * j] + hi * b[bp + 2 * j + 1];
                    }
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) {
                int ci = cOff + r * ldc + j;
                c[ci] = accumulate ? c[ci] + acc[r * NR + j] : acc[r * NR + j];
            }
        }
    }
}
