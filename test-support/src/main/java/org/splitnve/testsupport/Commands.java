package org.splitnve.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short commands to completion. */
final class Commands {

    /** Grace between SIGTERM and SIGKILL for a command that overran its time limit. */
    private static final Duration KILL_GRACE = Duration.ofSeconds(1);

    private Commands() {
    }

    /**
     * Runs {@code command} and returns its result whatever the exit status. Output goes to temporary files rather
     * than pipes: a pipe that nobody drains stalls a chatty child, and a grandchild that inherits a pipe keeps it
     * open after the child exits, which would hang a reader. Standard input is /dev/null so that a tool which falls
     * back to an interactive prompt (vdptool does without arguments) sees end-of-file instead of waiting.
     *
     * @throws CommandException if the command cannot be started or runs longer than {@code timeout}
     */
    static CommandResult run(List<String> command, Duration timeout) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("snv-cmd-", ".out");
            err = Files.createTempFile("snv-cmd-", ".err");
            Process process = start(new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile()));
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                Processes.terminate(process.toHandle(), KILL_GRACE);
                throw new CommandException(command, "command did not finish within " + timeout);
            }
            return new CommandResult(command, process.exitValue(), read(out), read(err));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create temporary files for " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException(command, "interrupted while waiting for command");
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** Runs {@code command} and returns its standard output, or throws with its standard error. */
    static String exec(List<String> command, Duration timeout) {
        return run(command, timeout).stdoutOrThrow();
    }

    /** Starts a process, turning the IOException for a missing program into a CommandException naming it. */
    static Process start(ProcessBuilder builder) {
        try {
            return builder.start();
        } catch (IOException e) {
            CommandException failure = new CommandException(builder.command(), "cannot start " + e.getMessage());
            failure.initCause(e);
            throw failure;
        }
    }

    /** Decodes leniently: a tool printing a stray non-UTF-8 byte must not turn into an exception here. */
    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A leftover empty file in the temporary directory is not worth failing a test for.
            }
        }
    }
}
