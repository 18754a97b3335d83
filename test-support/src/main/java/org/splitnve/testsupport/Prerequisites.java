package org.splitnve.testsupport;

import java.io.IOException;
import java.math.BigInteger;
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

    /** Bit numbers in the CapEff mask of /proc/self/status (linux/capability.h). */
    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_SYS_ADMIN = 21;

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
        ProcStatus status = ProcStatus.read();
        if (status.effectiveUid() != 0) {
            unmet("needs root (effective uid 0) for network namespaces, running as uid " + status.effectiveUid());
        } else if (!status.hasCapability(CAP_SYS_ADMIN) || !status.hasCapability(CAP_NET_ADMIN)) {
            unmet("runs as root but without CAP_SYS_ADMIN and CAP_NET_ADMIN (unprivileged container?)");
        }
    }

    /** Every named program must be found on PATH or in the usual sbin and bin directories. */
    public static void requireCommand(String... names) {
        List<String> missing = Stream.of(names).filter(n -> Executables.find(n).isEmpty()).toList();
        if (!missing.isEmpty()) {
            unmet("command(s) not found: " + String.join(", ", missing)
                    + " (searched " + String.join(":", Executables.searchDirs()) + ")");
        }
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

    /** The uid and capability lines of /proc/self/status; the JDK has no API for either. */
    private record ProcStatus(long effectiveUid, BigInteger effectiveCapabilities) {

        static ProcStatus read() {
            long uid = -1;
            BigInteger caps = BigInteger.ZERO;
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    // "Uid:\treal\teffective\tsaved\tfilesystem" and "CapEff:\t000001ffffffffff"
                    String[] fields = line.split("\\s+");
                    if (fields[0].equals("Uid:") && fields.length > 2) {
                        uid = Long.parseLong(fields[2]);
                    } else if (fields[0].equals("CapEff:") && fields.length > 1) {
                        caps = new BigInteger(fields[1], 16);
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // Not Linux or /proc not mounted: fall back to the user name, and assume root has every capability.
                boolean root = "root".equals(System.getProperty("user.name"));
                return new ProcStatus(root ? 0 : -1, root ? BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE)
                        : BigInteger.ZERO);
            }
            return new ProcStatus(uid, caps);
        }

        boolean hasCapability(int bit) {
            return effectiveCapabilities.testBit(bit);
        }
    }
}
