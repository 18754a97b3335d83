package org.splitnve.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The end of a daemon's log, for the message of a failure that the log explains. */
public final class LogText {

    private LogText() {
    }

    /** A daemon's log file so far: empty while it does not exist, a note instead when it cannot be read. */
    public static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** The last {@code lines} lines of {@code log}. */
    public static String tail(String log, int lines) {
        List<String> all = log.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
