package org.splitnve.nvedataplane.codec;

import java.nio.ByteBuffer;

/**
 * General membership queries sent to a TSI after it moved (RFC 8394 3.3), so that its multicast
 * memberships are reported again where it now is: an IGMPv3 query (RFC 3376 4.1; IGMPv2 hosts
 * answer it as a v2 query, RFC 3376 7.2.1) and an MLDv2 query (RFC 3810 5.1). Both carry the
 * Router Alert option the RFCs require and go to the all-nodes groups.
 */
public final class MulticastQuery {

    public static final int IGMP_QUERY = 0x11;
    public static final int MLD_QUERY = 130;
    /** 224.0.0.1. */
    public static final int ALL_SYSTEMS = 0xE000_0001;
    public static final long ALL_SYSTEMS_MAC = 0x0100_5E00_0001L;
    /** ff02::1. */
    public static final long ALL_NODES_HIGH = 0xff02_0000_0000_0000L;
    public static final long ALL_NODES_LOW = 1L;
    public static final long ALL_NODES_MAC = 0x3333_0000_0001L;
    /** IPv4 header with the 4-octet Router Alert option (RFC 2113). */
    public static final int IGMP_IP_HEADER = 24;
    public static final int IGMP_LENGTH = 12;
    /** Hop-by-hop header with Router Alert (RFC 2711) and PadN, then the 28-octet MLDv2 query. */
    public static final int MLD_HOP_BY_HOP = 8;
    public static final int MLD_LENGTH = 28;
    /** Robustness variable and query interval as the RFCs' defaults. */
    private static final int QRV = 2;
    private static final int QQIC = 125;

    private MulticastQuery() {
    }

    /**
     * Writes an IPv4 packet with an IGMPv3 general query at {@code ip4}, source 0.0.0.0 as a
     * snooping proxy querier does (RFC 4541 2.1.1).
     *
     * @param maxRespDeciseconds the Max Resp Code (≤ 127, so it is the plain value)
     * @return the offset after the packet
     */
    public static int writeIgmp(ByteBuffer b, int ip4, int srcIp, int maxRespDeciseconds) {
        b.put(ip4, (byte) 0x46);
        b.put(ip4 + 1, (byte) 0xC0);
        b.putShort(ip4 + 2, (short) (IGMP_IP_HEADER + IGMP_LENGTH));
        b.putShort(ip4 + 4, (short) 0);
        b.putShort(ip4 + 6, (short) 0x4000);
        b.put(ip4 + 8, (byte) 1);
        b.put(ip4 + 9, (byte) IpProtocol.IGMP);
        b.putShort(ip4 + 10, (short) 0);
        b.putInt(ip4 + 12, srcIp);
        b.putInt(ip4 + 16, ALL_SYSTEMS);
        b.putInt(ip4 + 20, 0x9404_0000);
        b.putShort(ip4 + 10, (short) Ipv4.computeChecksum(b, ip4));
        int g = ip4 + IGMP_IP_HEADER;
        b.put(g, (byte) IGMP_QUERY);
        b.put(g + 1, (byte) Math.min(127, maxRespDeciseconds));
        b.putShort(g + 2, (short) 0);
        b.putInt(g + 4, 0);
        b.put(g + 8, (byte) QRV);
        b.put(g + 9, (byte) QQIC);
        b.putShort(g + 10, (short) 0);
        b.putShort(g + 2, (short) Checksum.finish(Checksum.add(b, g, IGMP_LENGTH, 0)));
        return g + IGMP_LENGTH;
    }

    /**
     * Writes an IPv6 packet with an MLDv2 general query at {@code ip6}. The source must be
     * link-local: hosts ignore queries from other sources (RFC 3810 5.1.14).
     *
     * @return the offset after the packet
     */
    public static int writeMld(ByteBuffer b, int ip6, long srcHigh, long srcLow, int maxRespMillis) {
        Ipv6.write(b, ip6, MLD_HOP_BY_HOP + MLD_LENGTH, IpProtocol.HOP_BY_HOP, 1, 0, srcHigh, srcLow, ALL_NODES_HIGH, ALL_NODES_LOW);
        int h = ip6 + Ipv6.HEADER;
        b.put(h, (byte) IpProtocol.ICMPV6);
        b.put(h + 1, (byte) 0);
        b.putInt(h + 2, 0x0502_0000);
        b.putShort(h + 6, (short) 0x0100);
        int m = h + MLD_HOP_BY_HOP;
        b.put(m, (byte) MLD_QUERY);
        b.put(m + 1, (byte) 0);
        b.putShort(m + 2, (short) 0);
        b.putShort(m + 4, (short) Math.min(32767, maxRespMillis));
        b.putShort(m + 6, (short) 0);
        b.putLong(m + 8, 0);
        b.putLong(m + 16, 0);
        b.put(m + 24, (byte) QRV);
        b.put(m + 25, (byte) QQIC);
        b.putShort(m + 26, (short) 0);
        // The pseudo-header's next header is ICMPv6 even though the IPv6 header says hop-by-hop.
        long acc = Checksum.add(b, m, MLD_LENGTH, Checksum.ipv6PseudoHeader(b, ip6, MLD_LENGTH, IpProtocol.ICMPV6));
        b.putShort(m + 2, (short) Checksum.finish(acc));
        return m + MLD_LENGTH;
    }

    /** The EUI-64 link-local address (fe80::/64) of a MAC, low half (RFC 4291 appendix A). */
    public static long linkLocalLow(long mac) {
        long oui = (mac >>> 24) ^ 0x020000L;
        return (oui << 40) | (0xFFFEL << 24) | (mac & 0xFFFFFFL);
    }

    public static final long LINK_LOCAL_HIGH = 0xfe80_0000_0000_0000L;
}
