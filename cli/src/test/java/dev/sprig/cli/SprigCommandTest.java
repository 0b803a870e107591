package dev.sprig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sprig.kernels.KernelProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SprigCommandTest {

    private static String run(int expectedExit, String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int exit = new CommandLine(new SprigCommand()).execute(args);
            assertEquals(expectedExit, exit, String.join(" ", args));
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void infoNamesTheBackendTheJdkAndTheThreads() {
        String out = run(0, "info");
        assertTrue(out.contains("Backend  " + KernelProvider.describe()), out);
        assertTrue(out.contains("JDK      " + Runtime.version()), out);
        assertTrue(out.contains("Threads  " + Runtime.getRuntime().availableProcessors()), out);
    }

    @Test
    void helpListsEveryVerb() {
        String out = run(0, "--help");
        assertTrue(out.contains("info") && out.contains("bench"), out);
    }

    @Test
    void unknownVerbFails() {
        PrintStream oldErr = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            assertNotEquals(0, new CommandLine(new SprigCommand()).execute("frobnicate"));
        } finally {
            System.setErr(oldErr);
        }
    }
}
