package org.splitnve.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Usage errors, one way for every command: a picocli {@link ParameterException}, exit code 2. What picocli finds
 * while parsing (an unknown option, a missing value) is printed with the usage; what a command finds in its options
 * and files afterwards ({@link #error}) is one line, {@code splitnve COMMAND: what is wrong}, because the usage would
 * bury the one line that says what to fix.
 */
final class Usage {

    /** A usage error found by a command in its options, files or NIC, after picocli parsed the line. */
    static final class OptionProblem extends ParameterException {
        private static final long serialVersionUID = 1L;

        OptionProblem(CommandLine commandLine, String message) {
            super(commandLine, message);
        }
    }

    private Usage() {
    }

    /** The usage error to throw from a command's {@code call()}: one line and exit 2. */
    static OptionProblem error(CommandSpec spec, String message) {
        return new OptionProblem(spec.commandLine(), message);
    }

    /** Prints a usage error and returns its exit code (picocli's handler for every command). */
    static int handle(ParameterException ex, String[] args) {
        CommandLine c = ex.getCommandLine();
        PrintWriter w = c.getErr();
        if (ex instanceof OptionProblem) {
            w.println(c.getColorScheme().errorText(c.getCommandSpec().qualifiedName() + ": " + ex.getMessage()));
        } else {
            // picocli prints only "Did you mean" for a mistyped subcommand; print the usage as well.
            w.println(c.getColorScheme().errorText(ex.getMessage()));
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, w);
            c.usage(w, c.getColorScheme());
        }
        w.flush();
        return c.getCommandSpec().exitCodeOnInvalidInput();
    }
}
