package dev.sprig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The help every verb gives, and how argument errors are reported. */
class CliHelpAndErrorsTest {

    /** Every verb and sub-verb, as the words to type after {@code sprig}. */
    private static List<List<String>> verbs(CommandLine cmd, List<String> path) {
        List<List<String>> out = new ArrayList<>();
        for (var e : cmd.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) {
                continue;
            }
            List<String> p = new ArrayList<>(path);
            p.add(e.getKey());
            out.add(p);
            out.addAll(verbs(e.getValue(), p));
        }
        return out;
    }

    /** The lines of the "Commands:" section of a usage text. */
    private static List<String> commandList(String usage) {
        List<String> lines = usage.lines().toList();
        int start = lines.indexOf("Commands:");
        assertTrue(start >= 0, usage);
        return lines.subList(start + 1, lines.size()).stream().takeWhile(l -> l.startsWith(" ")).toList();
    }

    @Test
    void helpListsEveryVerbOnOneLine() {
        String usage = CliRunner.sprig(0, "--help")[0];
        List<String> list = commandList(usage);
        CommandLine root = SprigCommand.commandLine();
        assertEquals(root.getSubcommands().size(), list.size(), "one line per verb:\n" + usage);
        for (String verb : root.getSubcommands().keySet()) {
            assertTrue(list.stream().anyMatch(l -> l.startsWith("  " + verb + " ")), verb + " in\n" + usage);
        }
        List<String> bench = commandList(CliRunner.sprig(0, "bench", "--help")[0]);
        assertEquals(root.getSubcommands().get("bench").getSubcommands().size(), bench.size(), String.join("\n", bench));
    }

    @Test
    void everyVerbsHelpEndsWithExamples() {
        for (List<String> verb : verbs(SprigCommand.commandLine(), List.of())) {
            List<String> args = new ArrayList<>(verb);
            args.add("--help");
            String usage = CliRunner.sprig(0, args.toArray(String[]::new))[0];
            int examples = usage.indexOf("Examples:");
            assertTrue(examples >= 0, verb + " --help has no Examples:\n" + usage);
            String after = usage.substring(examples);
            assertTrue(after.contains("./sprig " + String.join(" ", verb)), verb + " examples:\n" + after);
        }
    }

    @Test
    void argumentErrorsAreOneLinePointingAtHelp() {
        String[] missing = CliRunner.sprig(2, "run");
        assertEquals("sprig run: Missing required parameter: 'MODEL.onnx' (see 'sprig run --help')", missing[1].strip());
        assertEquals("", missing[0]);

        String unknown = CliRunner.sprig(2, "inspect", "--froob", "m.onnx")[1];
        assertEquals(1, unknown.lines().count(), unknown);
        assertTrue(unknown.startsWith("sprig inspect: Unknown option: '--froob'"), unknown);

        String verb = CliRunner.sprig(2, "inspct")[1];
        assertEquals(1, verb.lines().count(), verb);
        assertTrue(verb.startsWith("sprig: ") && verb.contains("'inspct'") && verb.contains("did you mean inspect"), verb);

        // a verb that reports a bad value with a ParameterException of its own
        String threads = CliRunner.sprig(2, "bench", "kernels", "--threads", "0")[1];
        assertEquals("sprig bench kernels: --threads values must be >= 1, got 0 (see 'sprig bench kernels --help')",
                threads.strip());

        String verbose = CliRunner.sprig(2, "run", "--verbose")[1];
        assertTrue(verbose.lines().count() > 1 && verbose.contains("at picocli."), verbose);
    }

    @CommandLine.Command(name = "boom")
    static final class Boom implements Runnable {
        RuntimeException toThrow;

        @Override
        public void run() {
            throw toThrow;
        }
    }

    private static String escape(RuntimeException e) {
        Boom boom = new Boom();
        boom.toThrow = e;
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(boom).setExecutionExceptionHandler(new CliErrors(null)).setErr(new PrintWriter(err));
        assertEquals(1, cmd.execute());
        return err.toString();
    }

    @Test
    void exceptionsEscapingAVerbAreOneLineToo() {
        assertEquals("boom: it broke badly" + System.lineSeparator(), escape(new IllegalStateException("it broke\n  badly")));
        assertEquals("boom: no such file: x.onnx" + System.lineSeparator(),
                escape(new UncheckedIOException(new NoSuchFileException("x.onnx"))));
        assertEquals("boom: NullPointerException: oops (an internal error: run with --verbose for the stack trace)"
                + System.lineSeparator(), escape(new NullPointerException("oops")));
    }
}
