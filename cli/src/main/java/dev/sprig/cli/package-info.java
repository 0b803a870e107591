/**
 * The {@code sprig} command line, built on picocli and shaded into {@code cli/target/sprig-cli.jar},
 * which the {@code ./sprig} launcher runs. {@link dev.sprig.cli.SprigCommand} is the entry point and
 * lists the verbs; each verb is one {@code *Command} class (info, demo, run, inspect, quantize,
 * prune, bench kernels, bench model, fuzz) with its options in {@code --help}. Inputs come from
 * {@code .pb}, {@code .npy} and image files; errors are one line on stderr with a non-zero exit code
 * ({@code --verbose} adds the stack trace). The library API is in the other modules; this package
 * only wires it to the terminal.
 */
package dev.sprig.cli;
