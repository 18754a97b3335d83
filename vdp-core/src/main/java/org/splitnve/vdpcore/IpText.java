package org.splitnve.vdpcore;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Canonical text for IP addresses: dotted quad, and RFC 5952 for IPv6 (lower case, longest run of
 * zero groups compressed, IPv4-mapped addresses as {@code ::ffff:a.b.c.d}).
 * {@link InetAddress#getHostAddress()} does not compress, which makes logs and JSON hard to
 * compare with other tools.
 */
public final class IpText {

    private IpText() {
    }

    public static String format(InetAddress a) {
        byte[] b = a.getAddress();
        return b.length == 4 ? formatIpv4(b) : formatIpv6(b);
    }

    public static String formatIpv4(byte[] b) {
        return (b[0] & 0xFF) + "." + (b[1] & 0xFF) + "." + (b[2] & 0xFF) + "." + (b[3] & 0xFF);
    }

    public static String formatIpv6(byte[] b) {
        // RFC 5952 section 5: IPv4-mapped addresses (::ffff:0:0/96) are written in mixed notation,
        // as common network tools print them and as docs/PROTOCOL.md names the IPv4 VSI ID.
        if (isIpv4Mapped(b)) {
            return "::ffff:" + (b[12] & 0xFF) + "." + (b[13] & 0xFF) + "." + (b[14] & 0xFF) + "." + (b[15] & 0xFF);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestStart = -1; // RFC 5952 4.2.2: a single zero group is not compressed
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    private static boolean isIpv4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xFF && b[11] == (byte) 0xFF;
    }

    /** An IPv4 address from four octets. */
    public static Inet4Address ipv4(byte[] four) {
        try {
            return (Inet4Address) InetAddress.getByAddress(four);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * An IPv6 address from sixteen octets, kept as IPv6 even when it is IPv4-mapped
     * ({@link InetAddress#getByAddress(byte[])} would silently turn those into IPv4).
     */
    public static Inet6Address ipv6(byte[] sixteen) {
        try {
            return Inet6Address.getByAddress(null, sixteen, -1);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Parses a literal (never a host name, so no resolver is ever asked). */
    public static InetAddress parse(String text) {
        String t = text.trim();
        if (t.indexOf(':') >= 0) {
            return parseIpv6(t);
        }
        String[] parts = t.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IP address literal: '" + text + "'");
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            // Integer.parseInt alone would take "+1" and non-ASCII digits such as U+0661.
            if (!parts[i].matches("[0-9]{1,3}")) {
                throw new IllegalArgumentException("not an IP address literal: '" + text + "'");
            }
            int v;
            try {
                v = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IP address literal: '" + text + "'", e);
            }
            if (v < 0 || v > 255 || parts[i].isEmpty() || parts[i].length() > 3) {
                throw new IllegalArgumentException("not an IP address literal: '" + text + "'");
            }
            b[i] = (byte) v;
        }
        return ipv4(b);
    }

    private static Inet6Address parseIpv6(String t) {
        // Validate the literal ourselves: InetAddress.getByName would fall back to DNS on junk.
        if (!t.matches("[0-9A-Fa-f:.]+") || t.length() > 45) {
            throw new IllegalArgumentException("not an IPv6 address literal: '" + t + "'");
        }
        try {
            InetAddress a = InetAddress.getByName(t);
            byte[] raw = a.getAddress();
            if (raw.length == 4) { // an IPv4-mapped literal: keep it IPv6
                byte[] b = new byte[16];
                b[10] = (byte) 0xFF;
                b[11] = (byte) 0xFF;
                System.arraycopy(raw, 0, b, 12, 4);
                return ipv6(b);
            }
            return ipv6(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv6 address literal: '" + t + "'", e);
        }
    }
}
