package org.splitnve.vdpcore.vdp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;
import org.splitnve.vdpcore.IpText;
import org.splitnve.vdpcore.MacAddress;

/**
 * One filter info entry: optional GroupID, MAC and IP address, and the PS/PCP/VID word every
 * format ends with. Which of the optional parts are present is fixed by the {@link FilterFormat}
 * of the {@link FilterInfo} that holds the entry.
 */
public final class FilterEntry {

    /** VID 0 in a request asks the bridge to choose the VID (the local tag). */
    public static final int NULL_VID = 0;
    public static final int MAX_VID = 4094;
    public static final long NO_GROUP_ID = -1;
    public static final long MAX_GROUP_ID = 0xFFFFFF;
    /** IANA address family numbers, as the IP filter formats carry them. */
    public static final int AF_IPV4 = 1;
    public static final int AF_IPV6 = 2;

    private final long groupId;
    private final MacAddress mac;
    private final InetAddress ip;
    private final byte[] ipBytes;
    private final boolean ps;
    private final int pcp;
    private final int vid;

    private FilterEntry(Builder b) {
        this.groupId = b.groupId;
        this.mac = b.mac;
        this.ip = b.ip;
        this.ipBytes = b.ip == null ? null : b.ip.getAddress();
        this.ps = b.ps;
        this.pcp = b.pcp;
        this.vid = b.vid;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.groupId = groupId;
        b.mac = mac;
        b.ip = ip;
        b.ps = ps;
        b.pcp = pcp;
        b.vid = vid;
        return b;
    }

    /** The same entry with another VID: how a bridge answers a null VID with the local tag. */
    public FilterEntry withVid(int newVid) {
        return toBuilder().vid(newVid).build();
    }

    public boolean hasGroupId() {
        return groupId != NO_GROUP_ID;
    }

    /** The GroupID (for NVO3, the VN's VNI in the lower 24 bits), or {@link #NO_GROUP_ID}. */
    public long groupId() {
        return groupId;
    }

    /** The MAC address, or {@code null} when the format has none. */
    public MacAddress mac() {
        return mac;
    }

    /** The IP address, or {@code null} when the format has none. */
    public InetAddress ip() {
        return ip;
    }

    public int addressFamily() {
        return ip == null ? 0 : ip instanceof Inet4Address ? AF_IPV4 : AF_IPV6;
    }

    /** The address octets without a defensive copy, for the encoder's allocation-free path. */
    byte[] ipBytesUnsafe() {
        return ipBytes;
    }

    public boolean ps() {
        return ps;
    }

    public int pcp() {
        return pcp;
    }

    public int vid() {
        return vid;
    }

    /** The 16-bit PS|PCP|VID word: bit 15 PS, bits 14..12 PCP, bits 11..0 VID. */
    public int psPcpVid() {
        return (ps ? 0x8000 : 0) | (pcp << 12) | vid;
    }

    /** Octets this entry takes on the wire. */
    public int encodedLength() {
        return (hasGroupId() ? 4 : 0) + (mac != null ? 6 : 0) + (ipBytes != null ? 1 + ipBytes.length : 0) + 2;
    }

    boolean matches(FilterFormat f) {
        return f.hasGroupId() == hasGroupId() && f.hasMac() == (mac != null) && f.hasIp() == (ip != null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FilterEntry e && e.groupId == groupId && Objects.equals(e.mac, mac) && Objects.equals(e.ip, ip)
                && e.ps == ps && e.pcp == pcp && e.vid == vid;
    }

    @Override
    public int hashCode() {
        return Objects.hash(groupId, mac, ip, ps, pcp, vid);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        if (hasGroupId()) {
            sb.append("groupId=").append(groupId).append(' ');
        }
        if (mac != null) {
            sb.append("mac=").append(mac).append(' ');
        }
        if (ip != null) {
            sb.append("ip=").append(IpText.format(ip)).append(' ');
        }
        if (ps) {
            sb.append("ps pcp=").append(pcp).append(' ');
        } else if (pcp != 0) {
            sb.append("pcp=").append(pcp).append(' ');
        }
        return sb.append("vid=").append(vid).append('}').toString();
    }

    public static final class Builder {
        private long groupId = NO_GROUP_ID;
        private MacAddress mac;
        private InetAddress ip;
        private boolean ps;
        private int pcp;
        private int vid;

        private Builder() {
        }

        /** The GroupID. Zero is invalid, and for NVO3 the upper octet is zero (the VNI is 24 bits). */
        public Builder groupId(long v) {
            if (v <= 0 || v > MAX_GROUP_ID) {
                throw new IllegalArgumentException("an NVO3 GroupID is a non-zero VNI: 1..0xFFFFFF with the upper octet zero, not 0x"
                        + Long.toHexString(v));
            }
            groupId = v;
            return this;
        }

        /** The same as {@link #groupId}: a GroupID names an NVO3 virtual network by its 24-bit VNI. */
        public Builder vn(int vni) {
            return groupId(vni);
        }

        public Builder mac(MacAddress v) {
            Objects.requireNonNull(v, "mac");
            if (!v.isUsableUnicast()) {
                throw new IllegalArgumentException("a VSI MAC address must be unicast and non-zero: " + v);
            }
            mac = v;
            return this;
        }

        public Builder ip(InetAddress v) {
            Objects.requireNonNull(v, "ip");
            String why = FilterEntry.invalidIpReason(v.getAddress());
            if (why != null) {
                throw new IllegalArgumentException(why + ": " + IpText.format(v));
            }
            ip = v;
            return this;
        }

        public Builder ps(boolean v) {
            ps = v;
            return this;
        }

        public Builder pcp(int v) {
            if (v < 0 || v > 7) {
                throw new IllegalArgumentException("PCP is 0..7: " + v);
            }
            pcp = v;
            return this;
        }

        /** PS set and this PCP. */
        public Builder priority(int v) {
            return pcp(v).ps(true);
        }

        public Builder vid(int v) {
            if (v < 0 || v > MAX_VID) {
                throw new IllegalArgumentException("a VID is 0 (null) or 1..4094: " + v);
            }
            vid = v;
            return this;
        }

        /** Sets PS, PCP and VID from the 16-bit wire word. */
        public Builder psPcpVid(int word) {
            ps((word & 0x8000) != 0);
            pcp((word >>> 12) & 7);
            return vid(word & 0x0FFF);
        }

        public FilterEntry build() {
            return new FilterEntry(this);
        }
    }

    /** Why an address cannot identify a TSI (docs/PROTOCOL.md 4.1), or {@code null} if it can. */
    static String invalidIpReason(byte[] a) {
        boolean zero = true;
        for (byte b : a) {
            zero &= b == 0;
        }
        if (zero) {
            return "unspecified address";
        }
        if (a.length == 4) {
            int first = a[0] & 0xFF;
            if (first >= 224 && first <= 239) {
                return "multicast address";
            }
            if ((a[0] & a[1] & a[2] & a[3]) == (byte) 0xFF) {
                return "broadcast address";
            }
            return null;
        }
        if (isIpv4Mapped(a)) {
            // ::ffff:224.0.0.1 is still a multicast address: judge the IPv4 address it carries.
            String why = invalidIpReason(java.util.Arrays.copyOfRange(a, 12, 16));
            return why == null ? null : "IPv4-mapped " + why;
        }
        return (a[0] & 0xFF) == 0xFF ? "multicast address" : null;
    }

    private static boolean isIpv4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xFF && a[11] == (byte) 0xFF;
    }
}
