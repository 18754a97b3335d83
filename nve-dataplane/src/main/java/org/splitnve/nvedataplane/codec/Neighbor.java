package org.splitnve.nvedataplane.codec;

import java.nio.ByteBuffer;

/**
 * IPv6 neighbour solicitations and advertisements (RFC 4861 4.3, 4.4) with the source/target
 * link-layer address options, for ND on the underlay and answering tenants' solicitations.
 * Offsets are those of the IPv6 header, because the checksum covers the pseudo-header.
 */
public final class Neighbor {

    public static final int SOLICITATION = 135;
    public static final int ADVERTISEMENT = 136;
    public static final int OPTION_SOURCE_LL = 1;
    public static final int OPTION_TARGET_LL = 2;
    /** Type, code, checksum, reserved/flags, target. */
    public static final int BODY = 24;
    /** The body plus one link-layer address option (8 octets for Ethernet). */
    public static final int LENGTH = BODY + 8;
    public static final int FLAG_ROUTER = 0x8000_0000;
    public static final int FLAG_SOLICITED = 0x4000_0000;
    public static final int FLAG_OVERRIDE = 0x2000_0000;

    private Neighbor() {
    }

    /** True when the IPv6 packet at {@code ip6} carries ICMPv6 of the given type directly. */
    public static boolean is(ByteBuffer b, int ip6, int len, int type) {
        return len >= Ipv6.HEADER + 1 && Ipv6.nextHeader(b, ip6) == IpProtocol.ICMPV6 && (b.get(ip6 + Ipv6.HEADER) & 0xFF) == type;
    }

    /**
     * Null for a valid NS or NA in a validated IPv6 packet: hop limit 255, code 0, long enough,
     * options of non-zero length within the message, checksum verifies (RFC 4861 7.1).
     */
    public static Malformation validate(ByteBuffer b, int ip6, int len) {
        Malformation m = Ipv6.validate(b, ip6, len);
        if (m != null) {
            return m;
        }
        int icmp = ip6 + Ipv6.HEADER;
        int icmpLen = Ipv6.payloadLength(b, ip6);
        if (Ipv6.nextHeader(b, ip6) != IpProtocol.ICMPV6 || icmpLen < BODY) {
            return icmpLen < BODY ? Malformation.TRUNCATED : Malformation.BAD_ICMPV6;
        }
        int type = b.get(icmp) & 0xFF;
        if ((type != SOLICITATION && type != ADVERTISEMENT) || b.get(icmp + 1) != 0 || Ipv6.hopLimit(b, ip6) != 255) {
            return Malformation.BAD_ICMPV6;
        }
        for (int o = icmp + BODY; o < icmp + icmpLen; ) {
            if (o + 2 > icmp + icmpLen) {
                return Malformation.TRUNCATED;
            }
            int olen = (b.get(o + 1) & 0xFF) * 8;
            if (olen == 0) {
                return Malformation.BAD_ICMPV6;
            }
            if (o + olen > icmp + icmpLen) {
                return Malformation.TRUNCATED;
            }
            o += olen;
        }
        long acc = Checksum.add(b, icmp, icmpLen, Checksum.ipv6PseudoHeader(b, ip6, icmpLen, IpProtocol.ICMPV6));
        return Checksum.finish(acc) == 0 ? null : Malformation.BAD_ICMPV6;
    }

    public static void check(ByteBuffer b, int ip6, int len) throws MalformedPacketException {
        MalformedPacketException.check(validate(b, ip6, len), b, ip6, len);
    }

    public static int type(ByteBuffer b, int ip6) {
        return b.get(ip6 + Ipv6.HEADER) & 0xFF;
    }

    public static long targetHigh(ByteBuffer b, int ip6) {
        return b.getLong(ip6 + Ipv6.HEADER + 8);
    }

    public static long targetLow(ByteBuffer b, int ip6) {
        return b.getLong(ip6 + Ipv6.HEADER + 16);
    }

    /** The MAC in the first option of {@code optionType} of a validated message, or -1. */
    public static long linkLayerOption(ByteBuffer b, int ip6, int optionType) {
        int icmp = ip6 + Ipv6.HEADER;
        int end = icmp + Ipv6.payloadLength(b, ip6);
        for (int o = icmp + BODY; o + 8 <= end; o += (b.get(o + 1) & 0xFF) * 8) {
            if ((b.get(o) & 0xFF) == optionType && b.get(o + 1) == 1) {
                return Ethernet.mac(b, o + 2);
            }
            if (b.get(o + 1) == 0) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * Writes an IPv6 packet with an NS or NA (with one link-layer option) at {@code ip6}; the
     * addresses in the IPv6 header are the caller's.
     *
     * @return the offset after the packet
     */
    public static int write(ByteBuffer b, int ip6, int type, int flags, long srcHigh, long srcLow, long dstHigh, long dstLow,
                            long targetHigh, long targetLow, long linkLayer) {
        Ipv6.write(b, ip6, LENGTH, IpProtocol.ICMPV6, 255, 0, srcHigh, srcLow, dstHigh, dstLow);
        int icmp = ip6 + Ipv6.HEADER;
        b.put(icmp, (byte) type);
        b.put(icmp + 1, (byte) 0);
        b.putShort(icmp + 2, (short) 0);
        b.putInt(icmp + 4, type == ADVERTISEMENT ? flags : 0);
        b.putLong(icmp + 8, targetHigh);
        b.putLong(icmp + 16, targetLow);
        b.put(icmp + 24, (byte) (type == ADVERTISEMENT ? OPTION_TARGET_LL : OPTION_SOURCE_LL));
        b.put(icmp + 25, (byte) 1);
        Ethernet.putMac(b, icmp + 26, linkLayer);
        long acc = Checksum.add(b, icmp, LENGTH, Checksum.ipv6PseudoHeader(b, ip6, LENGTH, IpProtocol.ICMPV6));
        b.putShort(icmp + 2, (short) Checksum.finish(acc));
        return icmp + LENGTH;
    }

    /** ff02::1:ffXX:XXXX, the solicited-node group of an address (RFC 4291 2.7.1), high half. */
    public static final long SOLICITED_NODE_HIGH = 0xff02_0000_0000_0000L;

    /** Low half of the solicited-node group of an address whose low half is {@code low}. */
    public static long solicitedNodeLow(long low) {
        return 0x0000_0001_ff00_0000L | (low & 0xFFFFFFL);
    }

    /** 33-33-xx-xx-xx-xx, the Ethernet group of an IPv6 multicast address (RFC 2464 7). */
    public static long multicastMac(long groupLow) {
        return 0x3333_0000_0000L | (groupLow & 0xFFFF_FFFFL);
    }
}
