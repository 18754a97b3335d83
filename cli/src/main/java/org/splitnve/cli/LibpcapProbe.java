package org.splitnve.cli;

import java.util.Locale;
import java.util.function.Supplier;
import org.pcap4j.core.Pcaps;

/**
 * Checks once whether pcap4j can load the native libpcap, so that a missing library is one clear
 * line instead of a stack trace. pcap4j loads libpcap in a static initializer: the first call
 * without it throws {@link UnsatisfiedLinkError}, every later one {@link NoClassDefFoundError}, so
 * the outcome of the first probe is kept.
 */
final class LibpcapProbe {

    static final String MISSING = "libpcap is not installed (Debian package libpcap0.8); it is needed to read capture files";

    /** What the probe found: the library's version text, or why it cannot be used. */
    record Result(String version, String problem) {
        boolean available() {
            return problem == null;
        }
    }

    private static final LibpcapProbe SYSTEM = new LibpcapProbe(Pcaps::libVersion);

    private final Supplier<String> firstCall;
    private Result result;

    /** @param firstCall a cheap pcap4j call that loads libpcap and returns its version text */
    LibpcapProbe(Supplier<String> firstCall) {
        this.firstCall = firstCall;
    }

    /** The probe of this process's pcap4j. */
    static LibpcapProbe system() {
        return SYSTEM;
    }

    synchronized Result check() {
        if (result == null) {
            result = probe();
        }
        return result;
    }

    private Result probe() {
        try {
            return new Result(firstCall.get(), null);
        } catch (UnsatisfiedLinkError e) {
            return new Result(null, isLibpcap(e) ? MISSING : nativeProblem(e));
        } catch (NoClassDefFoundError | ExceptionInInitializerError e) {
            // An earlier call in this process already failed to load it.
            return new Result(null, MISSING);
        }
    }

    /**
     * JNA says "Unable to load library 'pcap'" when libpcap is missing; other link errors come
     * from JNA's own native part (a temporary directory mounted noexec, for instance).
     */
    private static boolean isLibpcap(UnsatisfiedLinkError e) {
        String m = e.getMessage();
        return m == null || m.toLowerCase(Locale.ROOT).contains("pcap");
    }

    private static String nativeProblem(UnsatisfiedLinkError e) {
        String m = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        return "cannot load the native code that reads capture files (JNA): " + m;
    }
}
