package org.splitnve.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** What the long-running commands ({@code bridge}, {@code station}) share besides {@link NicOptions}: their event stream. */
final class RunOptions {

    @Option(names = "--events", paramLabel = "-", description = "write events as JSON lines to standard output ('-')")
    String events;

    /** The event stream the options ask for; a usage error for anything but standard output. */
    EventLog eventLog(CommandSpec spec, PrintWriter out) {
        if (events != null && !events.equals("-")) {
            throw Usage.error(spec, "--events takes '-' (standard output)");
        }
        return new EventLog(out, events != null);
    }
}
