package dev.sprig.onnx;

/**
 * The outcome of one ONNX backend node test: passed, failed (with what went wrong: load error,
 * run error, timeout, or the first mismatching output element), or unsupported (with the reason
 * used for the tally: an operator or element type Sprig does not run).
 */
record NodeTestResult(String name, Outcome outcome, String reason) {

    /** What happened to a node test. */
    enum Outcome { PASSED, FAILED, UNSUPPORTED }

    static NodeTestResult passed(String name) {
        return new NodeTestResult(name, Outcome.PASSED, "");
    }

    static NodeTestResult failed(String name, String reason) {
        return new NodeTestResult(name, Outcome.FAILED, reason);
    }

    static NodeTestResult unsupported(String name, String reason) {
        return new NodeTestResult(name, Outcome.UNSUPPORTED, reason);
    }
}
