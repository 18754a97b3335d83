package org.splitnve.testsupport;

import java.util.List;

/**
 * A finished command: what ran, how it exited and what it printed.
 *
 * @param command  the full argument vector, including any {@code ip netns exec NAME} prefix
 * @param exitCode the exit status
 * @param stdout   standard output, decoded as UTF-8
 * @param stderr   standard error, decoded as UTF-8
 */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

    public CommandResult {
        command = List.copyOf(command);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** The standard output, or a {@link CommandException} carrying the standard error if the exit status is not 0. */
    public String stdoutOrThrow() {
        if (!succeeded()) {
            throw new CommandException(this);
        }
        return stdout;
    }
}
