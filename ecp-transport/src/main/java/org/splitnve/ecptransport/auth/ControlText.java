package org.splitnve.ecptransport.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.splitnve.vdpcore.MacAddress;

/**
 * Reading what the control interfaces send: the {@code <N>} priority prefix of events, {@code key=value} replies,
 * MAC addresses, and EAP identities, which come from the network and so are bounded and made printable before they
 * reach a log, an event or a policy.
 */
final class ControlText {

    /** RADIUS User-Name, where an EAP identity usually ends up, is at most 253 octets (RFC 2865 5.1). */
    static final int MAX_IDENTITY = 253;

    /** More lines than any reply of hostapd or wpa_supplicant has; the rest is ignored. */
    static final int MAX_LINES = 256;

    private ControlText() {
    }

    /** {@code "<3>AP-STA-CONNECTED ..."} without {@code "<3>"}, and without trailing white space. */
    static String withoutPriority(String event) {
        String e = event.stripTrailing();
        if (e.startsWith("<")) {
            int close = e.indexOf('>');
            if (close > 1 && close <= 4) {
                return e.substring(close + 1);
            }
        }
        return e;
    }

    /** The {@code key=value} lines of a reply, first occurrence of a key kept; other lines are ignored. */
    static Map<String, String> keyValues(String reply) {
        Map<String, String> out = new LinkedHashMap<>();
        String[] lines = reply.split("\n", MAX_LINES + 1);
        for (int i = 0; i < Math.min(lines.length, MAX_LINES); i++) {
            int eq = lines[i].indexOf('=');
            if (eq > 0) {
                out.putIfAbsent(lines[i].substring(0, eq), lines[i].substring(eq + 1).stripTrailing());
            }
        }
        return out;
    }

    /** The first line of a reply. */
    static String firstLine(String reply) {
        int nl = reply.indexOf('\n');
        return (nl < 0 ? reply : reply.substring(0, nl)).strip();
    }

    /** A MAC address in {@code aa:bb:cc:dd:ee:ff} form, or empty for anything else. */
    static Optional<MacAddress> mac(String text) {
        if (text == null || text.length() != 17) {
            return Optional.empty();
        }
        try {
            return Optional.of(MacAddress.valueOf(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The word after the event's name: {@code "AP-STA-CONNECTED 02:..:01 extra"} gives {@code "02:..:01"}. */
    static Optional<MacAddress> macArgument(String event) {
        String[] w = event.split(" ", 3);
        return w.length < 2 ? Optional.empty() : mac(w[1]);
    }

    /** The event's name: its first word. */
    static String name(String event) {
        int space = event.indexOf(' ');
        return space < 0 ? event : event.substring(0, space);
    }

    /**
     * An EAP identity as the daemons print it, made safe: hostapd's {@code N/A} and absent values are empty; quotes
     * that wpa_supplicant puts around strings are removed; control characters become {@code ?}; at most
     * {@link #MAX_IDENTITY} characters.
     */
    static String identity(String value) {
        if (value == null || value.equals("N/A") || value.equals("FAIL")) {
            return "";
        }
        String v = value.strip();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        return printable(v, MAX_IDENTITY);
    }

    /** At most {@code max} characters, control characters replaced, for logs and events. */
    static String printable(String s, int max) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return b.toString();
    }
}
