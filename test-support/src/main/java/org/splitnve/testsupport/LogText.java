package org.splitnve.testsupport;

import java.util.List;

/** The end of a daemon's log, for the message of a failure that the log explains. */
public final class LogText {

    private LogText() {
    }

    /** The last {@code lines} lines of {@code log}. */
    public static String tail(String log, int lines) {
        List<String> all = log.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
