package dev.sprig.kernels;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Chooses the kernel backend once per process and says so in one log line.
 *
 * <p>The choice is a chain of guards, each of which falls back to {@link ScalarBackend} with one
 * WARNING naming the reason and the fix:
 * <ol>
 *   <li>{@code -Dsprig.backend=scalar} forces the scalar backend ({@code vector} forces the
 *       vector backend past the JIT guard; any other value is reported and ignored);</li>
 *   <li>{@code jdk.incubator.vector} must be in the boot layer: {@code java --add-modules
 *       jdk.incubator.vector}, or the {@code ./sprig} launcher, which adds it;</li>
 *   <li>C2 must be compiling ({@code -Xint} or {@code -XX:TieredStopAtLevel<4} run the Vector API
 *       in its pure-Java form, far slower than the scalar loops).</li>
 * </ol>
 * On success one INFO line gives the width: {@code -Dsprig.vector.bits=64|128|256|512} when set,
 * else the hardware's preferred width capped at 256 bits (see {@link VectorWidth#DEFAULT_CAP_BITS}).
 * Never throws: a bad property is reported and ignored.
 */
public final class KernelProvider {

    /** System property forcing the backend: {@code scalar} or {@code vector}. */
    public static final String BACKEND_PROPERTY = "sprig.backend";
    /** System property forcing the vector width in bits: 64, 128, 256 or 512. */
    public static final String BITS_PROPERTY = "sprig.vector.bits";

    private static final System.Logger LOG = System.getLogger(KernelProvider.class.getName());
    private static final String HINT = "run java with --add-modules jdk.incubator.vector for the vectorised kernels";

    private KernelProvider() {
    }

    /** The backend of this process, chosen (and logged) on first use. */
    public static KernelBackend backend() {
        return Holder.BACKEND;
    }

    /** One line describing the backend in use, as {@code ./sprig info} prints it. */
    public static String describe() {
        KernelBackend b = backend();
        if (b instanceof VectorBackend v) {
            return "vector (Vector API), " + v.vectorBits() + "-bit float vectors (" + v.floatLanes()
                    + " lanes; hardware prefers " + v.preferredBits() + " bits), SGEMM tile " + v.sgemm().name();
        }
        return "scalar (reference loops; " + Holder.fallbackReason + "), SGEMM tile " + b.sgemm().name();
    }

    /** The width forced by {@value #BITS_PROPERTY}, or 0 when unset or invalid (then reported). */
    static int requestedVectorBits() {
        String value = System.getProperty(BITS_PROPERTY, "").trim();
        if (value.isEmpty()) {
            return 0;
        }
        switch (value) {
            case "64", "128", "256", "512" -> {
                return Integer.parseInt(value);
            }
            default -> {
                LOG.log(System.Logger.Level.WARNING, "Sprig kernels: ignoring -D" + BITS_PROPERTY + "=" + value
                        + ": expected 64, 128, 256 or 512");
                return 0;
            }
        }
    }

    private static final class Holder {
        static String fallbackReason = "";
        static final KernelBackend BACKEND = lookup();

        private static KernelBackend lookup() {
            String forced = System.getProperty(BACKEND_PROPERTY, "").trim().toLowerCase(Locale.ROOT);
            if (forced.equals("scalar")) {
                return scalar(System.Logger.Level.INFO, "forced by -D" + BACKEND_PROPERTY + "=scalar", false);
            }
            if (!forced.isEmpty() && !forced.equals("vector")) {
                LOG.log(System.Logger.Level.WARNING, "Sprig kernels: ignoring -D" + BACKEND_PROPERTY + "=" + forced
                        + ": expected scalar or vector");
            }
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                return scalar(System.Logger.Level.WARNING, "module jdk.incubator.vector is not present", true);
            }
            if (!forced.equals("vector") && !c2Enabled()) {
                return scalar(System.Logger.Level.WARNING,
                        "the C2 compiler is off (-Xint or -XX:TieredStopAtLevel<4), the Vector API would run interpreted",
                        false);
            }
            try {
                var vector = (VectorBackend) Class.forName("dev.sprig.kernels.VectorBackend")
                        .getDeclaredConstructor().newInstance();
                int bits = vector.vectorBits();
                String note = bits > vector.preferredBits()
                        ? "; WARNING: wider than the hardware's " + vector.preferredBits()
                          + " bits, not compiled to SIMD (tests only)"
                        : "";
                LOG.log(bits > vector.preferredBits() ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
                        "Sprig kernels: vector backend, " + bits + "-bit float vectors (" + vector.floatLanes()
                        + " lanes), SGEMM tile " + vector.sgemm().name() + note);
                return vector;
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                return scalar(System.Logger.Level.WARNING, "the Vector API failed to initialise (" + e + ")", true);
            }
        }

        private static KernelBackend scalar(System.Logger.Level level, String reason, boolean hint) {
            fallbackReason = reason;
            LOG.log(level, "Sprig kernels: scalar backend: " + reason + (hint ? "; " + HINT : ""));
            return ScalarBackend.INSTANCE;
        }

        private static boolean c2Enabled() {
            if (String.valueOf(System.getProperty("java.vm.info")).contains("interpreted mode")) {
                return false;
            }
            try {
                var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
                return bean == null || Integer.parseInt(bean.getVMOption("TieredStopAtLevel").getValue()) >= 4
                        || !Boolean.parseBoolean(bean.getVMOption("TieredCompilation").getValue());
            } catch (RuntimeException | LinkageError e) {
                return true; // not HotSpot, or no management module: assume an optimising JIT
            }
        }
    }
}
