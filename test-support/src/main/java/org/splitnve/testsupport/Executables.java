package org.splitnve.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds programs by name. The administration tools this package drives (ip, lldpad, lldptool, sysctl, ldconfig)
 * live in sbin directories, which a build tool's or IDE's PATH often lacks even when running as root, so the sbin
 * directories are always searched after PATH.
 */
final class Executables {

    private static final String[] SYSTEM_DIRS = {
        "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"};

    private Executables() {
    }

    /** The executable file for {@code name}; a name containing a slash is taken as a path. */
    static Optional<Path> find(String name) {
        if (name.isEmpty()) {
            return Optional.empty();
        }
        if (name.indexOf('/') >= 0) {
            Path path = Path.of(name);
            return isExecutableFile(path) ? Optional.of(path) : Optional.empty();
        }
        for (String dir : searchDirs()) {
            Path candidate = Path.of(dir, name);
            if (isExecutableFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The absolute path of {@code name} if it can be found, else {@code name} unchanged, so that the eventual
     * failure to start it names the program the caller asked for.
     */
    static String resolve(String name) {
        return find(name).map(Path::toString).orElse(name);
    }

    /** The directories searched, PATH first, for error messages. */
    static Set<String> searchDirs() {
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    dirs.add(dir);
                }
            }
        }
        dirs.addAll(List.of(SYSTEM_DIRS));
        return dirs;
    }

    private static boolean isExecutableFile(Path path) {
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }
}
