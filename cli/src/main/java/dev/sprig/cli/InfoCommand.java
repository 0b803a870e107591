package dev.sprig.cli;

import dev.sprig.kernels.KernelProvider;
import picocli.CommandLine.Command;

/** {@code sprig info}: what this process runs on. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print the version, JDK, kernel backend, vector width and threads.",
        footer = {"", "Examples:", "  ./sprig info"})
final class InfoCommand implements Runnable {

    @Override
    public void run() {
        String backend = KernelProvider.describe();
        System.out.println("Sprig    " + SprigCommand.version());
        System.out.println("JDK      " + Runtime.version() + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.home") + ")");
        System.out.println("OS       " + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        System.out.println("Backend  " + backend);
        System.out.println("Threads  " + Runtime.getRuntime().availableProcessors()
                + " (available processors; the default per session)");
    }
}
