package org.splitnve.ecptransport.link;

import org.pcap4j.core.Pcaps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether libpcap can be loaded. pcap4j throws {@link UnsatisfiedLinkError} on its first call when
 * the library is missing and {@link NoClassDefFoundError} on every later one, which tells a user
 * nothing; this probes once and turns both into one clear sentence.
 */
public final class Libpcap {

    private static final Logger LOG = LoggerFactory.getLogger(Libpcap.class);

    /** The one line a user sees when libpcap is missing. */
    public static final String MISSING = "libpcap is not installed (Debian package libpcap0.8); it is needed for live links and capture files";

    private static volatile String version;
    private static volatile String problem;

    private Libpcap() {
    }

    /** libpcap's version string, or {@code null} if it cannot be loaded. */
    public static String version() {
        probe();
        return version;
    }

    public static boolean isAvailable() {
        return version() != null;
    }

    /** Throws {@link LinkException} with {@link #MISSING} when libpcap cannot be loaded. */
    public static void require() throws LinkException {
        if (!isAvailable()) {
            throw new LinkException(MISSING + (problem == null ? "" : " (" + problem + ")"));
        }
    }

    private static synchronized void probe() {
        if (version != null || problem != null) {
            return;
        }
        try {
            version = Pcaps.libVersion();
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            problem = e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
            LOG.debug("libpcap cannot be loaded", e);
        }
    }

    /**
     * JNA's message lists every place it searched, over several lines and with the whole class path: a user needs
     * the first line only, which names the library, and the whole message stays in the debug log.
     */
    static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        String line = message.strip().lines().findFirst().orElse("").strip();
        if (line.endsWith(":")) {
            line = line.substring(0, line.length() - 1);
        }
        return line.isEmpty() ? "no detail" : line;
    }
}
