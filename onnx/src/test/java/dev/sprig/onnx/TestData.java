package dev.sprig.onnx;

import java.nio.file.Path;

/** Where the shared test data lives: the system property {@code sprig.testdata} the build sets. */
final class TestData {

    private TestData() {
    }

    static Path root() {
        return Path.of(System.getProperty("sprig.testdata", "../shared/testdata"));
    }

    static String skipReason(String what) {
        String reason = "skipped: no " + what + " under sprig.testdata=" + root().toAbsolutePath();
        System.out.println(reason);
        return reason;
    }
}
