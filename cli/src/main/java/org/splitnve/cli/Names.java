package org.splitnve.cli;

import java.util.Locale;
import org.splitnve.vdpcore.lldp.EvbTlv;
import org.splitnve.vdpcore.vdp.FilterFormat;

/** Names and small formats that the text and JSON output share. */
final class Names {

    private Names() {
    }

    /** {@code groupid-mac-ip-vid} style, for JSON. */
    static String filterFormat(FilterFormat f) {
        return FILTER_FORMAT_NAMES[f.ordinal()];
    }

    private static final String[] FILTER_FORMAT_NAMES = new String[FilterFormat.values().length];

    static {
        for (FilterFormat f : FilterFormat.values()) {
            FILTER_FORMAT_NAMES[f.ordinal()] = f.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** {@code GroupID/MAC/IP/VID} style, as the wire reference names the formats. */
    static String filterFormatLabel(FilterFormat f) {
        return switch (f) {
            case VID -> "VID";
            case MAC_VID -> "MAC/VID";
            case GROUPID_VID -> "GroupID/VID";
            case GROUPID_MAC_VID -> "GroupID/MAC/VID";
            case GROUPID_IP_VID -> "GroupID/IP/VID";
            case GROUPID_MAC_IP_VID -> "GroupID/MAC/IP/VID";
            case MAC_IP_VID -> "MAC/IP/VID";
        };
    }

    /** An EVB timer exponent as a duration people read: 8 gives "2.56 ms", 20 gives "10.49 s". */
    static String timer(int exponent) {
        long nanos = EvbTlv.timerDuration(exponent).toNanos();
        if (nanos < 1_000_000L) {
            return trim(nanos / 1_000.0) + " us";
        }
        if (nanos < 1_000_000_000L) {
            return trim(nanos / 1_000_000.0) + " ms";
        }
        return trim(nanos / 1_000_000_000.0) + " s";
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        if (s.endsWith(".00")) {
            return s.substring(0, s.length() - 3);
        }
        return s.endsWith("0") ? s.substring(0, s.length() - 1) : s;
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final String[] HEX2 = new String[256];

    static {
        for (int i = 0; i < 256; i++) {
            HEX2[i] = "0x" + HEX[i >>> 4] + HEX[i & 0xF];
        }
    }

    /** {@code 0x5a}: an octet in hex. */
    static String hex2(int v) {
        return HEX2[v & 0xFF];
    }

    /** {@code 0080c2}: an OUI in six hex digits. */
    static String oui(int oui) {
        char[] c = new char[6];
        for (int i = 0; i < 6; i++) {
            c[i] = HEX[(oui >>> (20 - 4 * i)) & 0xF];
        }
        return new String(c);
    }

    /** Seconds and microseconds, {@code 12.400050}. */
    static StringBuilder seconds(StringBuilder sb, long nanos) {
        if (nanos < 0) {
            sb.append('-');
            nanos = -nanos;
        }
        long micros = nanos / 1_000L;
        sb.append(micros / 1_000_000L).append('.');
        int frac = (int) (micros % 1_000_000L);
        for (int d = 100_000; d > 0; d /= 10) {
            sb.append((char) ('0' + frac / d % 10));
        }
        return sb;
    }
}
