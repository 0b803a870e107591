package dev.sprig.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sprig} command: one verb per subcommand. Run through the {@code ./sprig} launcher. */
@Command(name = "sprig", mixinStandardHelpOptions = true, versionProvider = SprigCommand.Version.class,
        description = "Sprig: a pure-Java neural-network inference engine.",
        subcommands = {InfoCommand.class, RunCommand.class, InspectCommand.class, BenchCommand.class,
            QuantizeCommand.class,
            FuzzCommand.class,
            PruneCommand.class,
            DemoCommand.class,
            CommandLine.HelpCommand.class})
public final class SprigCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // read through the parse result (CliErrors.verbose), as every verb inherits the option
    @CommandLine.Option(names = CliErrors.VERBOSE, scope = CommandLine.ScopeType.INHERIT,
            description = "On an error, print the stack trace after the one-line message.")
    boolean verbose;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Entry point: one-line log records, then picocli. */
    public static void main(String[] args) {
        // java.util.logging's default format spreads each record over two lines; the provider's
        // backend notice is meant to be one line
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%6$s%n");
        }
        System.exit(commandLine().execute(args));
    }

    /** The command line with Sprig's error reporting: one line per error, stack traces with --verbose. */
    static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new SprigCommand());
        CliErrors errors = new CliErrors(cmd);
        return cmd.setExecutionExceptionHandler(errors).setParameterExceptionHandler(errors);
    }

    /** The project version, filtered into a resource at build time. */
    static String version() {
        try (InputStream in = SprigCommand.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"Sprig " + version() + " on JDK " + Runtime.version()};
        }
    }
}
