package org.splitnve.testsupport;

import java.util.List;

/**
 * A command exited with a non-zero status, or did not finish in time. The message holds the command line and its
 * standard error, because that is what a failing test report needs to show.
 */
public final class CommandException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient CommandResult result;

    public CommandException(CommandResult result) {
        super("command failed with exit status " + result.exitCode() + ": " + String.join(" ", result.command())
                + describeOutput(result));
        this.result = result;
    }

    CommandException(List<String> command, String reason) {
        super(reason + ": " + String.join(" ", command));
        this.result = null;
    }

    /** The finished command, or null when it never finished (start failure or time-out). */
    public CommandResult result() {
        return result;
    }

    private static String describeOutput(CommandResult result) {
        String stderr = result.stderr().strip();
        if (!stderr.isEmpty()) {
            return "\nstderr: " + stderr;
        }
        String stdout = result.stdout().strip();
        return stdout.isEmpty() ? " (no output)" : "\nstdout: " + stdout;
    }
}
