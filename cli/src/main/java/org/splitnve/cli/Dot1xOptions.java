package org.splitnve.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitnve.ecptransport.auth.AuthorizationEvent;
import org.splitnve.ecptransport.auth.AuthorizationSourceEvent;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code --dot1x DIR} of {@code bridge} (hostapd's {@code ctrl_interface}) and {@code station} (wpa_supplicant's):
 * checks the directory, attaches to the daemon's socket for the NIC ({@code DIR/IFACE}), and writes what it tells as
 * {@code {"event":"dot1x","mac":...,"identity":...,"state":"AUTHORIZED"|"UNAUTHORIZED"}} and
 * {@code {"event":"dot1xSource","attached":...,"why":...}} lines. A daemon that is not up yet is waited for a few
 * seconds and then followed in the background: nothing is authorized until it is read.
 */
final class Dot1xOptions {

    private static final Logger LOG = LoggerFactory.getLogger(Dot1xOptions.class);

    /** How long a command waits at start for the daemon before it goes on without it (it keeps trying). */
    static final Duration FIRST_ATTACH = Duration.ofSeconds(5);

    private Dot1xOptions() {
    }

    /** {@code --dot1x DIR} checked: a usage error if it is not a directory. */
    static Path directory(CommandSpec spec, String dir) {
        Path p = Path.of(dir);
        if (!Files.isDirectory(p)) {
            throw Usage.error(spec, "--dot1x " + dir + ": not a directory (the daemon's ctrl_interface)");
        }
        return p;
    }

    /**
     * Waits {@link #FIRST_ATTACH} for the daemon that {@code started} follows; if it does not answer by then, says so
     * and goes on (the client keeps trying in the background).
     */
    static void awaitFirstAttach(String daemon, Path socket, AttachWait started) throws InterruptedException {
        if (!started.awaitAttached(FIRST_ATTACH)) {
            LOG.warn("--dot1x: {}'s control socket {} does not answer yet; nothing is authorized until it does", daemon, socket);
        }
    }

    /** The {@code awaitAttached} of the hostapd and wpa_supplicant clients. */
    @FunctionalInterface
    interface AttachWait {
        boolean awaitAttached(Duration timeout) throws InterruptedException;
    }

    /** The {@code dot1x} event line. */
    static void emit(EventLog log, AuthorizationEvent e) {
        log.emit("dot1x", n -> n.put("mac", e.station().toString()).put("identity", e.identity()).put("state", e.state().name()));
    }

    /** The {@code dot1xSource} event line: the daemon attached or lost. */
    static void emit(EventLog log, AuthorizationSourceEvent e) {
        log.emit("dot1xSource", n -> n.put("port", e.port()).put("attached", e.attached()).put("why", e.detail()));
    }
}
