package org.splitnve.ecptransport.link;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import org.pcap4j.core.Pcaps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether libpcap can be loaded, found out once. pcap4j loads libpcap in a static initializer:
 * the first call without it throws {@link UnsatisfiedLinkError}, every later one
 * {@link NoClassDefFoundError}, and neither tells a user what to do. This probes once, keeps the
 * outcome, and turns it into one clear sentence for the command line and for {@link PcapLink}.
 */
public final class Libpcap {

    private static final Logger LOG = LoggerFactory.getLogger(Libpcap.class);

    /** The one line a user sees when libpcap is missing. */
    public static final String MISSING =
            "libpcap is not installed (Debian package libpcap0.8); it is needed to read capture files and open live links";

    private static final Libpcap SYSTEM = new Libpcap(Pcaps::libVersion);

    /**
     * What the probe found.
     *
     * @param version libpcap's version text, or {@code null} when it cannot be used
     * @param problem one sentence for a user, or {@code null} when it can be used
     * @param detail  the first line of the underlying error, for logs and exception messages
     */
    public record Status(String version, String problem, String detail) {
        public boolean available() {
            return problem == null;
        }
    }

    private final Supplier<String> firstCall;
    private Status status;

    /** @param firstCall a cheap pcap4j call that loads libpcap and returns its version text */
    public Libpcap(Supplier<String> firstCall) {
        this.firstCall = Objects.requireNonNull(firstCall);
    }

    /** The probe of this process's pcap4j. */
    public static Libpcap system() {
        return SYSTEM;
    }

    public synchronized Status check() {
        if (status == null) {
            status = probe();
        }
        return status;
    }

    /** Throws {@link LinkException} saying what is missing when this process cannot load libpcap. */
    public static void require() throws LinkException {
        Status s = SYSTEM.check();
        if (!s.available()) {
            throw new LinkException(s.problem() + " (" + s.detail() + ")");
        }
    }

    private Status probe() {
        try {
            return new Status(firstCall.get(), null, null);
        } catch (UnsatisfiedLinkError e) {
            LOG.debug("libpcap cannot be loaded", e);
            String detail = "UnsatisfiedLinkError: " + firstLine(e.getMessage());
            // JNA says "Unable to load library 'pcap'" when libpcap is missing; other link errors
            // come from JNA's own native part (a temporary directory mounted noexec, for instance).
            String m = e.getMessage();
            boolean libpcap = m == null || m.toLowerCase(Locale.ROOT).contains("pcap");
            return new Status(null, libpcap ? MISSING : "cannot load JNA's native code, which libpcap is called through: "
                    + firstLine(m), detail);
        } catch (NoClassDefFoundError | ExceptionInInitializerError e) {
            // An earlier call in this process already failed to load it.
            LOG.debug("libpcap cannot be loaded", e);
            return new Status(null, MISSING, e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
        }
    }

    /**
     * JNA's message lists every place it searched, over several lines and with the whole class
     * path: a user needs the first line only, which names the library.
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
