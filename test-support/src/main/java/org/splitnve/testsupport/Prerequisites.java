package org.splitnve.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Checks a test makes before it touches the machine. A developer without root, lldpad or tshark should see such
 * tests skipped with the reason, not failed; on a CI runner ({@code CI=true}) a missing prerequisite means a broken
 * runner image, and a skip would silently hide every test that depends on it, so there it fails instead.
 */
public final class Prerequisites {

    /** The sonames pcap4j can load: Debian's libpcap0.8 package and upstream's libpcap.so.1. */
    private static final List<String> LIBPCAP_SONAMES = List.of("libpcap.so.0.8", "libpcap.so.1");

    private static final String[] LIBRARY_DIRS = {"/lib", "/usr/lib", "/lib64", "/usr/lib64", "/usr/local/lib"};


    private Prerequisites() {
    }

    /** True when the environment variable {@code CI} is exactly {@code true}, as GitHub Actions and GitLab CI set it. */
    public static boolean isCi() {
        return "true".equals(System.getenv("CI"));
    }

    /**
     * Effective uid 0 with the capabilities network namespaces need. A container can give uid 0 without
     * CAP_SYS_ADMIN, where {@code ip netns add} fails later with a much less helpful message.
     */
    public static void requireRoot() {
        HostChecks.root().ifPresent(Prerequisites::unmet);
    }

    /** Every named program must be found on PATH or in the usual sbin and bin directories. */
    public static void requireCommand(String... names) {
        HostChecks.commands(names).ifPresent(Prerequisites::unmet);
    }

    /** The native libpcap that pcap4j loads at run time must be installed (Debian package libpcap0.8). */
    public static void requireLibpcap() {
        if (findLibpcap().isEmpty()) {
            unmet("libpcap not found (" + String.join(" or ", LIBPCAP_SONAMES)
                    + "); install the libpcap0.8 package");
        }
    }

    /**
     * Where the dynamic linker would find libpcap: first its own cache ({@code ldconfig -p}), which covers every
     * directory configured in ld.so.conf, then LD_LIBRARY_PATH and the usual library directories in case the cache
     * is stale or ldconfig is missing.
     */
    public static Optional<Path> findLibpcap() {
        Optional<Path> cached = findLibpcapInLinkerCache();
        if (cached.isPresent()) {
            return cached;
        }
        for (Path dir : libraryDirs()) {
            for (String soname : LIBPCAP_SONAMES) {
                Path candidate = dir.resolve(soname);
                if (Files.isReadable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> findLibpcapInLinkerCache() {
        if (Executables.find("ldconfig").isEmpty()) {
            return Optional.empty();
        }
        CommandResult result = Commands.run(List.of(Executables.resolve("ldconfig"), "-p"), Duration.ofSeconds(10));
        if (!result.succeeded()) {
            return Optional.empty();
        }
        // Lines look like: "\tlibpcap.so.0.8 (libc6,x86-64) => /lib/x86_64-linux-gnu/libpcap.so.0.8"
        for (String line : result.stdout().lines().toList()) {
            String trimmed = line.strip();
            int arrow = trimmed.indexOf("=> ");
            boolean wanted = LIBPCAP_SONAMES.stream().anyMatch(s -> trimmed.startsWith(s + " "));
            if (wanted && arrow > 0) {
                Path path = Path.of(trimmed.substring(arrow + 3).strip());
                if (Files.isReadable(path)) {
                    return Optional.of(path);
                }
            }
        }
        return Optional.empty();
    }

    private static List<Path> libraryDirs() {
        Set<Path> dirs = new LinkedHashSet<>();
        String ldPath = System.getenv("LD_LIBRARY_PATH");
        if (ldPath != null) {
            Stream.of(ldPath.split(":")).filter(s -> !s.isEmpty()).map(Path::of).forEach(dirs::add);
        }
        for (String base : LIBRARY_DIRS) {
            Path dir = Path.of(base);
            dirs.add(dir);
            dirs.addAll(multiarchDirs(dir));
        }
        return new ArrayList<>(dirs);
    }

    /** Debian keeps libraries in per-architecture subdirectories such as x86_64-linux-gnu. */
    private static List<Path> multiarchDirs(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(p -> p.getFileName().toString().endsWith("-linux-gnu"))
                    .filter(Files::isDirectory)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Fails the test under CI, otherwise aborts it; package-private so both outcomes can be tested. */
    static void unmet(String reason, boolean ci) {
        if (ci) {
            Assertions.fail("Missing test prerequisite (CI=true, so this fails instead of skipping): " + reason);
        }
        Assumptions.abort("Missing test prerequisite: " + reason);
    }

    private static void unmet(String reason) {
        unmet(reason, isCi());
    }
}
