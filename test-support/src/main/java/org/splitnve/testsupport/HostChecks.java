package org.splitnve.testsupport;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What this machine lacks for network namespaces and real peers, as one sentence, without JUnit:
 * {@link Prerequisites} turns a sentence into a skip or a failure, {@code splitnve bench} into a
 * "not run" row.
 */
public final class HostChecks {

    /** Bit numbers in the CapEff mask of /proc/self/status (linux/capability.h). */
    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_SYS_ADMIN = 21;

    private HostChecks() {
    }

    /**
     * Effective uid 0 with the capabilities network namespaces need, else why not. A container can
     * give uid 0 without CAP_SYS_ADMIN, where {@code ip netns add} fails later with a much less
     * helpful message.
     */
    public static Optional<String> root() {
        ProcStatus status = ProcStatus.read();
        if (status.effectiveUid() != 0) {
            return Optional.of("needs root (effective uid 0) for network namespaces, running as uid " + status.effectiveUid());
        }
        if (!status.hasCapability(CAP_SYS_ADMIN) || !status.hasCapability(CAP_NET_ADMIN)) {
            return Optional.of("runs as root but without CAP_SYS_ADMIN and CAP_NET_ADMIN (unprivileged container?)");
        }
        return Optional.empty();
    }

    /** Every named program found on PATH or in the usual sbin and bin directories, else which are missing. */
    public static Optional<String> commands(String... names) {
        List<String> missing = Stream.of(names).filter(n -> Executables.find(n).isEmpty()).toList();
        if (missing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("command(s) not found: " + String.join(", ", missing)
                + " (searched " + String.join(":", Executables.searchDirs()) + ")");
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
