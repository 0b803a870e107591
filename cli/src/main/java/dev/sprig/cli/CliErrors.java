package dev.sprig.cli;

import dev.sprig.core.ModelException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * How every verb reports a failure: one line on stderr, {@code sprig VERB: message}, and the
 * stack trace after it only with {@code --verbose}. Installed on the command line by
 * {@link SprigCommand#commandLine()} for exceptions a verb lets escape (exit code 1) and for bad
 * arguments (exit code 2, with a pointer to the verb's {@code --help} instead of the whole usage).
 */
final class CliErrors implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    /** The global option that adds stack traces. */
    static final String VERBOSE = "--verbose";

    private final CommandLine root;

    /** Handlers for the command tree under {@code root} (null when there is no tree to name verbs from). */
    CliErrors(CommandLine root) {
        this.root = root;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        report(cmd.getCommandSpec(), e, verbose(parsed));
        return cmd.getCommandSpec().exitCodeOnExecutionException();
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        String suggestions = "";
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            suggestions = "; did you mean " + String.join(" or ", u.getSuggestions()) + "?";
        }
        String verb = qualifiedName(cmd);
        err.println(verb + ": " + oneLine(e.getMessage()) + suggestions + " (see '" + verb + " --help')");
        if (Arrays.asList(args).contains(VERBOSE)) {
            e.printStackTrace(err);
        }
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /**
     * The verb's full name. A verb that throws a {@code ParameterException} built on a new
     * {@code CommandLine(this)} detaches it from the tree; its name is then found by the command's class.
     */
    private String qualifiedName(CommandLine cmd) {
        if (cmd.getParent() == null && root != null && cmd != root) {
            CommandLine found = find(root, cmd.getCommandSpec().userObject().getClass());
            if (found != null) {
                return found.getCommandSpec().qualifiedName();
            }
        }
        return cmd.getCommandSpec().qualifiedName();
    }

    private static CommandLine find(CommandLine tree, Class<?> type) {
        if (type.isInstance(tree.getCommandSpec().userObject())) {
            return tree;
        }
        for (CommandLine sub : tree.getSubcommands().values()) {
            CommandLine found = find(sub, type);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** Prints {@code e} as the one-line error of the verb {@code spec}, with its stack trace when {@code verbose}. */
    static void report(CommandSpec spec, Throwable e, boolean verbose) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(spec.qualifiedName() + ": " + describe(e) + (verbose || expected(e) ? ""
                : " (an internal error: run with --verbose for the stack trace)"));
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
    }

    /** True when {@code --verbose} was given to the command or any subcommand on the way to the verb. */
    static boolean verbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(VERBOSE)) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code spec}'s command line was parsed with {@code --verbose} anywhere. */
    static boolean verbose(CommandSpec spec) {
        return verbose(spec.root().commandLine().getParseResult());
    }

    /** The message of {@code e} on one line; its type too when the message alone would not say what happened. */
    static String describe(Throwable e) {
        if (e instanceof NoSuchFileException n) {
            return "no such file: " + n.getFile();
        }
        if (e instanceof UncheckedIOException u && u.getCause() != null
                && (u.getMessage() == null || u.getMessage().equals(u.getCause().toString()))) {
            return describe(u.getCause());
        }
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName() + (e.getCause() == null ? "" : ": " + describe(e.getCause()));
        }
        return expected(e) ? oneLine(m) : e.getClass().getSimpleName() + ": " + oneLine(m);
    }

    /** Exceptions that carry a message meant for the user, as opposed to a Sprig bug. */
    private static boolean expected(Throwable e) {
        return List.of(IllegalArgumentException.class, IllegalStateException.class, UnsupportedOperationException.class,
                        UncheckedIOException.class, ModelException.class, java.io.IOException.class).stream()
                .anyMatch(c -> c.isInstance(e));
    }

    private static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
