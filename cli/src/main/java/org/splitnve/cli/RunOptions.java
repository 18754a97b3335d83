package org.splitnve.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** What the long-running commands ({@code bridge}, {@code station}) share: their event stream and log level. */
final class RunOptions {

    @Option(names = "--events", paramLabel = "-", description = "write events as JSON lines to standard output ('-')")
    String events;

    @Option(names = "--log", paramLabel = "LEVEL", description = "log level on standard error: warn (default), info, debug")
    String logLevel;

    /** Applies the log level (before any logger exists) and checks the options; null when they are fine. */
    String apply() {
        NicPort.logLevel(logLevel);
        return events != null && !events.equals("-") ? "--events takes '-' (standard output)" : null;
    }

    EventLog eventLog(PrintWriter out) {
        return new EventLog(out, events != null);
    }
}
