package dev.sprig.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The provider honours the forcing properties Surefire sets for each run of the kernel tests. */
class KernelProviderTest {

    @Test
    void honoursTheForcedBackendAndWidth() {
        String backend = System.getProperty(KernelProvider.BACKEND_PROPERTY, "");
        String bits = System.getProperty(KernelProvider.BITS_PROPERTY, "");
        KernelBackend b = KernelProvider.backend();
        if (backend.equals("scalar")) {
            assertEquals("scalar", b.name());
            assertEquals(1, b.floatLanes());
        } else {
            // the test JVM always has --add-modules jdk.incubator.vector and C2
            assertEquals("vector", b.name(), KernelProvider.describe());
            if (!bits.isEmpty()) {
                assertEquals(Integer.parseInt(bits), b.vectorBits());
            } else {
                assertTrue(b.vectorBits() >= 128 && b.vectorBits() <= VectorWidth.DEFAULT_CAP_BITS, KernelProvider.describe());
            }
        }
        assertTrue(KernelProvider.describe().startsWith(b.name()));
    }
}
