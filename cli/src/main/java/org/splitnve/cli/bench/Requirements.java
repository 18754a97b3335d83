package org.splitnve.cli.bench;

import java.util.Optional;
import org.splitnve.ecptransport.link.Libpcap;
import org.splitnve.ecptransport.ring.PacketSocket;
import org.splitnve.testsupport.HostChecks;

/**
 * What a measurement needs from the machine, as one sentence when it is missing. The test suite's checks skip or
 * fail a JUnit test; a command line has no JUnit and reports "not run" instead, so it asks {@link HostChecks}.
 */
public final class Requirements {

    private final Libpcap libpcap;

    public Requirements(Libpcap libpcap) {
        this.libpcap = libpcap;
    }

    /** Root with the capabilities network namespaces need, else why not. */
    public Optional<String> root() {
        return HostChecks.root();
    }

    /** libpcap loadable, else why not. */
    public Optional<String> libpcap() {
        Libpcap.Status s = libpcap.check();
        return s.available() ? Optional.empty() : Optional.of(s.problem());
    }

    /** AF_PACKET rings supported in this process (Linux on x86-64 or AArch64), else why not. */
    public Optional<String> rings() {
        return Optional.ofNullable(PacketSocket.unsupported());
    }

    /** Every program found on PATH or in the sbin and bin directories, else which are missing. */
    public Optional<String> commands(String... names) {
        return HostChecks.commands(names);
    }

    /** The first unmet requirement of {@code checks}, in order. */
    @SafeVarargs
    public static Optional<String> first(Optional<String>... checks) {
        for (Optional<String> c : checks) {
            if (c.isPresent()) {
                return c;
            }
        }
        return Optional.empty();
    }
}
