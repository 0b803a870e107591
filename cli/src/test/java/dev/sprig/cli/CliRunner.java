package dev.sprig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the CLI in-process for the tests, as the launcher configures it, capturing what it prints. */
final class CliRunner {

    private CliRunner() {
    }

    /**
     * Runs {@code sprig args...} and checks its exit code; returns stdout then stderr (both are in
     * the failure message when the exit code differs).
     */
    static String[] sprig(int expectedExit, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = SprigCommand.commandLine().execute(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String[] result = {o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        assertEquals(expectedExit, exit, String.join(" ", args) + "\nstdout:\n" + result[0] + "\nstderr:\n" + result[1]);
        return result;
    }
}
