package dev.sprig.bench.model;

/**
 * The JVM heap in use after a full collection: the difference between two probes is what a
 * runtime keeps on the heap (packed weights, caches), not garbage. Native memory (ONNX Runtime's
 * arena and weights) is not on the heap and is not seen here.
 */
final class HeapProbe {

    private HeapProbe() {
    }

    /** Bytes in use after asking for two full collections. */
    static long usedAfterGc() {
        Runtime rt = Runtime.getRuntime();
        // two passes: objects with finalizers/cleaners released by the first are collected by the second
        System.gc();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }
}
