package org.splitnve.nvedataplane;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An NVE's underlay IP address (RFC 8394 3.2: "the NVE's underlay identity"), IPv4 or IPv6,
 * with its bits unpacked so that the forwarding path writes it without allocating.
 */
public final class UnderlayAddress {

    private final InetAddress address;
    private final boolean ipv6;
    private final int v4;
    private final long high;
    private final long low;

    private UnderlayAddress(InetAddress address) {
        this.address = address;
        byte[] a = address.getAddress();
        this.ipv6 = address instanceof Inet6Address;
        if (ipv6) {
            this.v4 = 0;
            this.high = java.nio.ByteBuffer.wrap(a).getLong(0);
            this.low = java.nio.ByteBuffer.wrap(a).getLong(8);
        } else {
            this.v4 = java.nio.ByteBuffer.wrap(a).getInt(0);
            this.high = 0;
            this.low = 0;
        }
    }

    public static UnderlayAddress of(InetAddress address) {
        return new UnderlayAddress(Objects.requireNonNull(address, "address"));
    }

    /**
     * Parses an IPv4 or IPv6 literal, as the NVA publishes them; never a host name, so no lookup
     * can block the caller.
     */
    public static UnderlayAddress parse(String literal) {
        String s = literal.trim();
        boolean v6 = s.indexOf(':') >= 0;
        boolean v4 = !v6 && s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (!v6 && !v4 || (v6 && !s.matches("[0-9A-Fa-f:.%\\[\\]a-zA-Z]+"))) {
            throw new IllegalArgumentException("not an IP address literal: " + literal);
        }
        try {
            InetAddress a = InetAddress.getByName(s.startsWith("[") ? s.substring(1, s.length() - 1) : s);
            if (v4 && !(a instanceof Inet4Address)) {
                throw new IllegalArgumentException("not an IPv4 literal: " + literal);
            }
            return new UnderlayAddress(a);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address literal: " + literal, e);
        }
    }

    public InetAddress address() {
        return address;
    }

    public boolean isIpv6() {
        return ipv6;
    }

    /** The IPv4 address as an int (IPv4 only). */
    public int v4() {
        return v4;
    }

    public long high() {
        return high;
    }

    public long low() {
        return low;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnderlayAddress u && u.ipv6 == ipv6 && u.v4 == v4 && u.high == high && u.low == low;
    }

    @Override
    public int hashCode() {
        return Objects.hash(ipv6, v4, high, low);
    }

    @Override
    public String toString() {
        return address.getHostAddress();
    }
}
