package org.splitnve.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Private working directories under the JVM's temporary directory (normally /tmp). */
final class TempDirs {

    private static final Logger LOG = LoggerFactory.getLogger(TempDirs.class);

    private TempDirs() {
    }

    /** A new directory only its owner can use (the JDK creates it with mode 0700). */
    static Path create(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
    }

    /**
     * A new directory anyone may write to. dumpcap can run with dropped privileges or under another user (the
     * wireshark group setup), and then cannot create files in a root-only directory; the mode is set after creation
     * because the umask would strip it from the creation mode.
     */
    static Path createWorldWritable(String prefix) {
        Path dir = create(prefix);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            return dir;
        } catch (IOException e) {
            deleteRecursively(dir);
            throw new UncheckedIOException("cannot open up " + dir, e);
        }
    }

    /** Deletes {@code dir} and its content, logging instead of failing: cleanup must not mask a test's own error. */
    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot delete {}", dir, e);
        }
    }
}
