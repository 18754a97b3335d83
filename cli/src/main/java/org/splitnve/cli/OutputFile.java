package org.splitnve.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks a file a command will write at the end of a long run before the run starts, so a typo in
 * the path costs a second, not the run.
 */
final class OutputFile {

    private OutputFile() {
    }

    /** Why {@code f} cannot be written, or {@code null} when it can. */
    static String problem(Path f) {
        Path dir = f.toAbsolutePath().getParent();
        if (Files.isDirectory(f)) {
            return "is a directory";
        }
        if (dir == null || !Files.isDirectory(dir)) {
            return "no such directory";
        }
        if (Files.exists(f) ? !Files.isWritable(f) : !Files.isWritable(dir)) {
            return "not writable";
        }
        return null;
    }
}
